/** Puts accepted reports on the run-reported topic and says when the broker has them. */
package jp.tcportal.gateway.publish;
