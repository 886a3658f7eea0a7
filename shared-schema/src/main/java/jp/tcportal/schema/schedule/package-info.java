/**
 * When a monitor expects its job to run: schedule settings, their validation, and the DST-aware
 * slot arithmetic that deadlines, missed-run ticks and the settings form's preview all share.
 */
package jp.tcportal.schema.schedule;
