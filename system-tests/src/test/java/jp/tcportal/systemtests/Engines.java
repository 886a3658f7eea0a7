package jp.tcportal.systemtests;

/**
 * Where the real Kafka broker and PostgreSQL of a scenario are: embedded engines here, containers
 * where a Docker engine exists.
 */
record Engines(String kafkaBootstrapServers, String jdbcUrl, String dbUser, String dbPassword) {}
