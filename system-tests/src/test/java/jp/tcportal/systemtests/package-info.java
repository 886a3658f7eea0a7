/** Scenarios that run the packaged services together, as an operator would deploy them. */
package jp.tcportal.systemtests;
