/**
 * Prometheus metrics of the whole platform ({@code GET /metrics}). Reads the components' own counters at scrape time;
 * adds nothing to the notification path.
 */
package org.orbis.console.metrics;
