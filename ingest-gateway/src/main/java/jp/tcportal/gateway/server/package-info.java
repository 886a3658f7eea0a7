/**
 * What one client may hold of the gateway: time to send a request, bytes of request bodies in
 * memory at once, and the extra plain-HTTP port beside HTTPS.
 */
package jp.tcportal.gateway.server;
