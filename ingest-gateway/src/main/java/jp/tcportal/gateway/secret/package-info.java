/**
 * Decides whether a request carries one of the active webhook secrets or a signature made with one,
 * in constant time.
 */
package jp.tcportal.gateway.secret;
