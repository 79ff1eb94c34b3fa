package org.orbis.world.credentials;

import java.util.Locale;

/** How a device authenticates its DTLS handshake: pre-shared key, raw public key, or X.509 certificate. */
public enum CredentialMode {
    PSK, RPK, X509;

    /** The stored and API spelling: {@code psk}, {@code rpk}, {@code x509}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CredentialMode fromLabel(String label) {
        for (CredentialMode mode : values()) {
            if (mode.label().equalsIgnoreCase(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown credential mode '" + label + "'; use psk, rpk or x509");
    }
}
