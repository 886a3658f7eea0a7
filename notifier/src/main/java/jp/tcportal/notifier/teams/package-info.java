/** Microsoft Teams Workflows webhooks: the Adaptive Card and what Teams' answers mean. */
package jp.tcportal.notifier.teams;
