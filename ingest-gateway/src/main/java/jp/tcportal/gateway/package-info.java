/** The ingest gateway: takes run reports over HTTP and answers once Kafka holds them durably. */
package jp.tcportal.gateway;
