/**
 * The one catalogue of topics: names, the key and value each carries, and how every service
 * declares them.
 */
package jp.tcportal.schema.topic;
