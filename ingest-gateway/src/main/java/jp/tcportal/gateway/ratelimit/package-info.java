/** Optional limits on how often one client address or one secret may report (429 beyond them). */
package jp.tcportal.gateway.ratelimit;
