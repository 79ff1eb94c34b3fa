/**
 * The servers' certificate check in Scandium's DTLS handshake, shared by the DM and bootstrap servers: which device
 * certificates and raw public keys pass the handshake, and a log line saying why one did not.
 */
package org.orbis.certs.dtls;
