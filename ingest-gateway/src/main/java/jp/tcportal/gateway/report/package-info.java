/** The spec's {@code POST /api/monitor/report}: checks a report and answers once it is queued. */
package jp.tcportal.gateway.report;
