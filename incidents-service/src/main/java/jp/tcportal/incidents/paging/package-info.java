/** Keyset pagination: opaque cursors and pages of rows, never OFFSET. */
package jp.tcportal.incidents.paging;
