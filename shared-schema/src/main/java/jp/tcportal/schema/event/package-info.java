/** Events on the Kafka topics, as immutable records with their JSON form. */
package jp.tcportal.schema.event;
