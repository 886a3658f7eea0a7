/**
 * Records that cannot be read or accepted go to the dead-letter topic with the reason in headers.
 */
package jp.tcportal.processor.deadletter;
