/**
 * Fault injection under load: real brokers, PostgreSQL and the packaged services crash on purpose
 * while a client ledger records what was acknowledged, then the database is audited for lost,
 * duplicated and unexpected reports.
 */
package jp.tcportal.reliability;
