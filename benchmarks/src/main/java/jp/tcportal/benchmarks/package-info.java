/**
 * The whole-pipeline benchmark: starts the one-command stack, loads it, and prints its figures next
 * to the machine's HTTP, Kafka and PostgreSQL ceilings measured in the same run.
 */
package jp.tcportal.benchmarks;
