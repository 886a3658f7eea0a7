/**
 * Encryption at rest of channel URLs and secrets, shared by the service that writes them and the
 * notifier that reads them.
 */
package jp.tcportal.schema.secret;
