/** The report a Windows job posts, and the rules that decide whether it is acceptable. */
package jp.tcportal.schema.report;
