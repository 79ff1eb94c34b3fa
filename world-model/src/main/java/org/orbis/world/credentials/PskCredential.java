package org.orbis.world.credentials;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A pre-shared key a device uses towards one server. The key never appears in {@link #toString()}. */
public record PskCredential(String endpoint, CredentialPurpose purpose, String identity, byte[] key) {

    public static final int MIN_KEY_BYTES = 8;
    public static final int MAX_KEY_BYTES = 64;

    public PskCredential {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(purpose, "purpose");
        if (identity == null || identity.isEmpty() || identity.length() > 128) {
            throw new IllegalArgumentException("PSK identity must have 1 to 128 characters");
        }
        if (key == null || key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("PSK key must have " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes");
        }
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    public String keyHex() {
        return HexFormat.of().formatHex(key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PskCredential that && endpoint.equals(that.endpoint) && purpose == that.purpose
                && identity.equals(that.identity) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, purpose, identity, Arrays.hashCode(key));
    }

    @Override
    public String toString() {
        return "PskCredential[endpoint=" + endpoint + ", purpose=" + purpose + ", identity=" + identity + ", key=<hidden>]";
    }
}
