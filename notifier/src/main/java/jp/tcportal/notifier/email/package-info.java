/** E-mail notifications over SMTP: subject and body in the channel's language. */
package jp.tcportal.notifier.email;
