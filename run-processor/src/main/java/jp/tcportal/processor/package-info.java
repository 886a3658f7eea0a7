/**
 * The run processor: turns RunReported events into monitor state, run history and status events.
 */
package jp.tcportal.processor;
