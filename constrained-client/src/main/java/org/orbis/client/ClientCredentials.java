package org.orbis.client;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.eclipse.leshan.client.object.Security;
import org.eclipse.leshan.core.CertificateUsage;

/**
 * How the reference client authenticates to the server it is configured with (the bootstrap server, or the DM server
 * when registering directly): DTLS with a pre-shared key, a raw public key, or an X.509 certificate. None of them
 * shows a key in {@code toString()}.
 */
public sealed interface ClientCredentials {

    /** The Security object instance for this server. */
    Security security(String uri, boolean bootstrap, int shortServerId);

    /** One word for logs and status lines: psk, rpk or x509. */
    String mode();

    /** A pre-shared key and its identity. */
    record Psk(String identity, byte[] key) implements ClientCredentials {
        public Psk {
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public Security security(String uri, boolean bootstrap, int shortServerId) {
            byte[] id = identity.getBytes(StandardCharsets.UTF_8);
            return bootstrap ? Security.pskBootstrap(uri, id, key) : Security.psk(uri, shortServerId, id, key);
        }

        @Override
        public String mode() {
            return "psk";
        }

        @Override
        public String toString() {
            return "psk identity " + identity;
        }
    }

    /** The device's key pair and the server's public key, which the client pins. */
    record Rpk(PublicKey publicKey, PrivateKey privateKey, PublicKey serverPublicKey) implements ClientCredentials {
        @Override
        public Security security(String uri, boolean bootstrap, int shortServerId) {
            return bootstrap ? Security.rpkBootstrap(uri, publicKey.getEncoded(), privateKey.getEncoded(),
                    serverPublicKey.getEncoded())
                    : Security.rpk(uri, shortServerId, publicKey.getEncoded(), privateKey.getEncoded(),
                            serverPublicKey.getEncoded());
        }

        @Override
        public String mode() {
            return "rpk";
        }

        @Override
        public String toString() {
            return "rpk";
        }
    }

    /**
     * The device's certificate and key, and what it trusts the server by: the CA that issued the server's certificate
     * (LwM2M certificate usage 2, "trust anchor assertion") or the server's own certificate (usage 3,
     * "domain-issued certificate", pinned exactly). Either way the server's name must match the URI's host.
     */
    record X509(X509Certificate certificate, PrivateKey privateKey, X509Certificate serverOrCa)
            implements ClientCredentials {

        public boolean trustsCa() {
            return serverOrCa.getBasicConstraints() >= 0;
        }

        @Override
        public Security security(String uri, boolean bootstrap, int shortServerId) {
            var usage = (trustsCa() ? CertificateUsage.TRUST_ANCHOR_ASSERTION
                    : CertificateUsage.DOMAIN_ISSUER_CERTIFICATE).code;
            byte[] own = encoded(certificate);
            byte[] server = encoded(serverOrCa);
            return bootstrap ? Security.x509Bootstrap(uri, own, privateKey.getEncoded(), server, usage)
                    : Security.x509(uri, shortServerId, own, privateKey.getEncoded(), server, usage);
        }

        @Override
        public String mode() {
            return "x509";
        }

        @Override
        public String toString() {
            return "x509 " + certificate.getSubjectX500Principal().getName();
        }

        private static byte[] encoded(X509Certificate certificate) {
            try {
                return certificate.getEncoded();
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
            }
        }
    }
}
