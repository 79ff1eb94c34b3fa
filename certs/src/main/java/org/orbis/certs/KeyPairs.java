package org.orbis.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** EC key pairs on P-256 (secp256r1), the curve every LwM2M device with ECDSA cipher suites implements. */
public final class KeyPairs {

    public static final String CURVE = "secp256r1";

    private KeyPairs() {
    }

    public static KeyPair ecP256() {
        return ecP256(new SecureRandom());
    }

    public static KeyPair ecP256(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate EC " + CURVE + " keys", e);
        }
    }
}
