package org.orbis.server.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/** The first 8 bytes of SHA-256 over a public key's encoding: enough to tell keys apart in a log line. */
final class KeyFingerprint {

    private KeyFingerprint() {
    }

    static String of(PublicKey key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 8));
        } catch (GeneralSecurityException e) {
            return "?";
        }
    }
}
