/** Notification channels: their types, filters, target rules, and how the notifier reads them. */
package jp.tcportal.notifier.channel;
