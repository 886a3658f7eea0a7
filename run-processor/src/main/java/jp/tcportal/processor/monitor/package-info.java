/** The monitor tables and the rules that decide how a report moves a monitor's latest state. */
package jp.tcportal.processor.monitor;
