/**
 * Notification ingestion: decoded LwM2M nodes (observe notifications, Send, read results) become typed
 * {@link org.orbis.world.store.WorldUpdate.ReportedValue}s handed to the world writer. Runs on Californium's threads;
 * it converts and queues, it never touches the database.
 */
package org.orbis.server.ingest;
