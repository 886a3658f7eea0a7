/** What a notification says, as pure functions of the event and the channel's language. */
package jp.tcportal.notifier.message;
