package org.orbis.certs;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a DTLS server needs for RPK and X.509 devices besides PSK: its own identity (key and certificate chain; its
 * public key serves RPK devices) and the CAs whose device certificates it accepts.
 */
public record ServerCredentials(X509Identity identity, List<X509Certificate> trustAnchors) {

    public ServerCredentials {
        Objects.requireNonNull(identity, "identity");
        trustAnchors = List.copyOf(trustAnchors);
    }

    /** The checked-in development material for the DM server, trusting the development CA. DEVELOPMENT ONLY. */
    public static ServerCredentials developmentDmServer() {
        return new ServerCredentials(DevelopmentMaterial.dmServer(), List.of(DevelopmentMaterial.ca().certificate()));
    }

    /** The checked-in development material for the bootstrap server, trusting the development CA. DEVELOPMENT ONLY. */
    public static ServerCredentials developmentBootstrapServer() {
        return new ServerCredentials(DevelopmentMaterial.bootstrapServer(),
                List.of(DevelopmentMaterial.ca().certificate()));
    }

    /** Whether the identity or any trust anchor is development material. */
    public boolean usesDevelopmentMaterial() {
        return identity.chain().stream().anyMatch(DevelopmentMaterial::isDevelopmentMaterial)
                || trustAnchors.stream().anyMatch(DevelopmentMaterial::isDevelopmentMaterial);
    }

    @Override
    public String toString() {
        return "ServerCredentials[" + identity + ", " + trustAnchors.size() + " trust anchors]";
    }
}
