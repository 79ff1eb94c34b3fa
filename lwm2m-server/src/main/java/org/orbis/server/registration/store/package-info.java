/**
 * The DM server's registrations and observations on the Orbis database ({@code lwm2m_registration},
 * {@code lwm2m_observation}): Leshan's {@code CaliforniumRegistrationStore} implemented with an in-memory index for
 * the notification path and a write-behind journal. Lives here, not in world-model, because the seam drags in
 * Californium; it owns its two tables and touches no world-model table.
 */
package org.orbis.server.registration.store;
