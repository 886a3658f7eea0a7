/** Consumes RunReported batches and stores each batch in one database transaction. */
package jp.tcportal.processor.ingest;
