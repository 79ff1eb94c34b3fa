/**
 * Leshan's {@code SecurityStore} on the world model's credential store. Called synchronously on the DTLS handshake
 * thread, so it only does indexed single-row reads.
 */
package org.orbis.server.security;
