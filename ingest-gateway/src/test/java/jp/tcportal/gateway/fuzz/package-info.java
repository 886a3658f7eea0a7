/** Jazzer fuzz tests of the report parser and of the gateway's request handling. */
package jp.tcportal.gateway.fuzz;
