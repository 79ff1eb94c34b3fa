/**
 * Device credentials as the bootstrap and DM servers need them: which PSK identity and key a device uses towards the
 * bootstrap server and towards the DM server. Provisioning writes both in one transaction; the servers read them
 * during DTLS handshakes. Keys are never logged and never put in {@code toString()}.
 */
package org.orbis.world.credentials;
