/** What every page shares: layout, language and time zone, time formatting and error answers. */
package jp.tcportal.incidents.web;
