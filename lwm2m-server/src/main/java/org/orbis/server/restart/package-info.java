/**
 * What lets a DM server restart without its devices noticing: the DTLS connections saved at a planned stop (encrypted,
 * in the database) and loaded before the next start, and the server's own random secrets. Owns the
 * {@code dtls_connection_state} and {@code server_secret} tables.
 */
package org.orbis.server.restart;
