package org.orbis.bootstrap.provisioning;

import java.util.Objects;
import org.orbis.world.credentials.CredentialMode;

/**
 * What an operator asks for one server's credential. Anything left {@code null} is generated: a PSK identity
 * defaults to the endpoint name and a key to 16 random bytes; an RPK or X.509 key pair is generated (the private key is
 * then shown once and kept sealed for bootstrap to deliver), and an X.509 certificate is issued by the platform's CA.
 *
 * @param publicKey RPK: the device's own SubjectPublicKeyInfo DER (the device keeps its private key)
 * @param certificate X.509: the device's own certificate DER (CN = endpoint, issued by a trusted CA)
 */
public record CredentialRequest(CredentialMode mode, String pskIdentity, byte[] pskKey, byte[] publicKey,
        byte[] certificate) {

    public CredentialRequest {
        Objects.requireNonNull(mode, "mode");
        if (mode != CredentialMode.PSK && (pskIdentity != null || pskKey != null)) {
            throw new IllegalArgumentException("a PSK identity or key was given for a " + mode.label() + " credential");
        }
        if (mode != CredentialMode.RPK && publicKey != null) {
            throw new IllegalArgumentException("a public key was given for a " + mode.label() + " credential");
        }
        if (mode != CredentialMode.X509 && certificate != null) {
            throw new IllegalArgumentException("a certificate was given for a " + mode.label() + " credential");
        }
    }

    public static CredentialRequest psk(String identity, byte[] key) {
        return new CredentialRequest(CredentialMode.PSK, identity, key, null, null);
    }

    public static CredentialRequest generated(CredentialMode mode) {
        return new CredentialRequest(mode, null, null, null, null);
    }

    @Override
    public String toString() {
        return "CredentialRequest[" + mode.label() + (pskIdentity == null ? "" : ", pskIdentity=" + pskIdentity) + "]";
    }
}
