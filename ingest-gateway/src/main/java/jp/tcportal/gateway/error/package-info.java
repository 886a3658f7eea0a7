/** The one JSON error shape of the gateway, and the handler that gives it to every failure. */
package jp.tcportal.gateway.error;
