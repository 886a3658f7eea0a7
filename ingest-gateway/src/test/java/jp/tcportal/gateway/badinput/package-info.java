/** The corpus of malformed requests, sent byte for byte to the running gateway. */
package jp.tcportal.gateway.badinput;
