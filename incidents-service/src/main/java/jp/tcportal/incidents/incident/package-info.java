/** The incidents list of spec 7.1: every monitor, failing first, filtered and searched. */
package jp.tcportal.incidents.incident;
