/**
 * The LwM2M bootstrap server (Leshan's {@code LeshanBootstrapServer} over DTLS): devices authenticate with their
 * bootstrap PSK and receive, from the database, the DM server's address and the credentials for it. Provisioning of
 * new devices lives in {@link org.orbis.bootstrap.provisioning}.
 */
package org.orbis.bootstrap;
