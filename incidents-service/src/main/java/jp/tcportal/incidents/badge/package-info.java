/** The sidebar badge (spec 7.2) and the server-sent events that keep it and the pages current. */
package jp.tcportal.incidents.badge;
