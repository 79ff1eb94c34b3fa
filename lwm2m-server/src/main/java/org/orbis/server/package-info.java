/**
 * The LwM2M DM server: Leshan's server on DTLS (UDP 5684 by default), assembled by {@link org.orbis.server.OrbisDmServer}
 * with Orbis's security store, observe policy, notification ingestion into the world model, and device operations.
 */
package org.orbis.server;
