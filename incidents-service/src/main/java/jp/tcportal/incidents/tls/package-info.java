/**
 * HTTPS: the extra plain HTTP port, its redirect to HTTPS, and what stays reachable over plain
 * HTTP.
 */
package jp.tcportal.incidents.tls;
