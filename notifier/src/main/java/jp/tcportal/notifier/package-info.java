/**
 * The notifier service: tells people about failing and recovered monitors on the channels they
 * chose.
 */
package jp.tcportal.notifier;
