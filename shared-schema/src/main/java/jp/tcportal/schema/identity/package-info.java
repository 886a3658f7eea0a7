/** How a monitor's id is derived from what identifies it, without asking the database. */
package jp.tcportal.schema.identity;
