/** One monitor: its latest state, its run history (keyset paged) and enabling or disabling it. */
package jp.tcportal.incidents.monitor;
