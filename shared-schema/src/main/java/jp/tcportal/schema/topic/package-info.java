/** The one catalogue of topic names, with the key and value each topic carries. */
package jp.tcportal.schema.topic;
