/** Signed webhooks in the Standard Webhooks format, so receivers can verify and deduplicate. */
package jp.tcportal.notifier.webhook;
