/** Makes sure the schema this service reads exists before JPA validates it. */
package jp.tcportal.incidents.schema;
