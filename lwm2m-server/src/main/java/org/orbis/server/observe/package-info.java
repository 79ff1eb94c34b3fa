/**
 * Which resources Orbis observes on every device (the {@link org.orbis.server.observe.ObservePolicy}) and the
 * observations it starts when a device registers. Observe requests are sent asynchronously; their first responses are
 * ingested like notifications.
 */
package org.orbis.server.observe;
