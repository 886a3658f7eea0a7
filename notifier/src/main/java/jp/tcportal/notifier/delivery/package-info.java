/**
 * The delivery ledger: the consumer that records deliveries and the worker that sends them in
 * order.
 */
package jp.tcportal.notifier.delivery;
