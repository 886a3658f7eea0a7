/** Slack incoming webhooks: the Block Kit message and what Slack's answers mean. */
package jp.tcportal.notifier.slack;
