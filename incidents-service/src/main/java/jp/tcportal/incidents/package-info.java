/**
 * The incidents service: the read side of TC Portal Monitor (dashboard, badge, run history, API).
 */
package jp.tcportal.incidents;
