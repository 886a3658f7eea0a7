/** Engines that tests run for real, in-process or as child processes, without a Docker engine. */
package jp.tcportal.testsupport;
