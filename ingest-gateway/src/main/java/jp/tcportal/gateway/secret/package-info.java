/** Decides whether a request carries one of the active webhook secrets, in constant time. */
package jp.tcportal.gateway.secret;
