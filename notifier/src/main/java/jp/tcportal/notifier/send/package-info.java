/** Sending to a channel: the sender contract, what an attempt came to, and the HTTP poster. */
package jp.tcportal.notifier.send;
