/**
 * The contract every module of TC Portal Monitor shares: events, topics, identity and report rules.
 */
package jp.tcportal.schema;
