/**
 * The one-command local stack: a real KRaft Kafka broker and PostgreSQL 17 in-process, and the
 * three service jars as supervised child processes, with data kept in one folder.
 */
package jp.tcportal.localstack;
