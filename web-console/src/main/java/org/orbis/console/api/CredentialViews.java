package org.orbis.console.api;

import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.orbis.bootstrap.provisioning.CredentialRequest;
import org.orbis.certs.Pem;
import org.orbis.world.credentials.CredentialMode;
import org.orbis.world.credentials.DeviceCredential;

/** JSON shapes of credentials: requests in (hex keys, PEM keys and certificates) and the once-only answers out. */
final class CredentialViews {

    private CredentialViews() {
    }

    /**
     * A credential as the device needs it, secrets included: shown once, in the answer that created it.
     *
     * @param serverCertificate the certificate the server presents (RPK devices pin its public key, X.509 devices the
     *        certificate or its CA)
     */
    record CredentialView(String uri, String mode, String pskIdentity, String pskKey, String publicKey,
            String privateKey, String certificate, String serverPublicKey, String serverCertificate) {

        static CredentialView of(String uri, DeviceCredential credential, X509Certificate serverCertificate) {
            String mode = credential.mode().label();
            return switch (credential.mode()) {
                case PSK -> new CredentialView(uri, mode, credential.pskIdentity(),
                        HexFormat.of().formatHex(credential.secret()), null, null, null, null, null);
                case RPK -> new CredentialView(uri, mode, null, null, pem("PUBLIC KEY", credential.publicKey()),
                        credential.secret() == null ? null : pem("PRIVATE KEY", credential.secret()), null,
                        Pem.publicKey(serverCertificate.getPublicKey()), null);
                case X509 -> new CredentialView(uri, mode, null, null, null,
                        credential.secret() == null ? null : pem("PRIVATE KEY", credential.secret()),
                        pem("CERTIFICATE", credential.certificate()), null, Pem.certificate(serverCertificate));
            };
        }
    }

    static CredentialMode mode(String field, String label, CredentialMode defaultMode) {
        if (label == null) {
            return defaultMode;
        }
        try {
            return CredentialMode.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field '" + field + "': " + e.getMessage());
        }
    }

    /** A credential request from API fields; keys in hex, public keys and certificates in PEM. */
    static CredentialRequest request(String prefix, CredentialMode mode, String pskIdentity, String pskKeyHex,
            String publicKeyPem, String certificatePem) {
        try {
            byte[] publicKey = publicKeyPem == null ? null
                    : Pem.readPublicKey(publicKeyPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            "field '" + field(prefix, "publicKey") + "'").getEncoded();
            byte[] certificate = certificatePem == null ? null
                    : Pem.readCertificates(certificatePem.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            "field '" + field(prefix, "certificate") + "'").get(0).getEncoded();
            return new CredentialRequest(mode, pskIdentity, hexKey(field(prefix, "pskKey"), pskKeyHex), publicKey,
                    certificate);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw ApiException.badRequest("field '" + field(prefix, "certificate") + "' cannot be encoded");
        }
    }

    static byte[] hexKey(String field, String hex) {
        if (hex == null) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field '" + field + "' must be an even number of hex digits");
        }
    }

    private static String field(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
