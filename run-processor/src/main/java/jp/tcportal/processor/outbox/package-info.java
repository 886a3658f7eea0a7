/** Status-change events written with the state they describe, then relayed to Kafka in order. */
package jp.tcportal.processor.outbox;
