/** Tells orchestrators whether the gateway can reach its Kafka cluster. */
package jp.tcportal.gateway.health;
