package org.orbis.bootstrap.store;

import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * Where bootstrap sends devices, as the devices must address the servers (a public host name, not a bind address),
 * and the certificates the servers present (written into devices that use RPK or X.509, so they can authenticate
 * the server); a certificate is {@code null} when that server only speaks PSK.
 *
 * @param registrationLifetime the lifetime written into the DM server's Server object
 */
public record BootstrapTargets(String bootstrapServerUri, String dmServerUri, Duration registrationLifetime,
        X509Certificate bootstrapServerCertificate, X509Certificate dmServerCertificate) {

    /** PSK-only servers. */
    public BootstrapTargets(String bootstrapServerUri, String dmServerUri, Duration registrationLifetime) {
        this(bootstrapServerUri, dmServerUri, registrationLifetime, null, null);
    }
}
