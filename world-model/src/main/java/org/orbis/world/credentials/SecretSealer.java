package org.orbis.world.credentials;

import java.util.HexFormat;

/**
 * Turns secrets (PSK keys, device private keys) into the text stored in the database and back. With a master key
 * ({@link MasterKey#sealer()}) the text is AES-GCM ciphertext; {@link #plaintext()} only marks the secret as unsealed,
 * for tests and tools that run without a master key.
 */
public interface SecretSealer {

    String PLAIN_PREFIX = "plain:";

    String seal(byte[] secret);

    /**
     * @throws IllegalStateException if the text was sealed with a master key this sealer does not have
     */
    byte[] open(String sealed);

    /** Whether {@link #seal} encrypts; a store with such a sealer re-seals plain secrets at start-up. */
    boolean encrypts();

    static SecretSealer plaintext() {
        return new SecretSealer() {
            @Override
            public String seal(byte[] secret) {
                return PLAIN_PREFIX + HexFormat.of().formatHex(secret);
            }

            @Override
            public byte[] open(String sealed) {
                if (!sealed.startsWith(PLAIN_PREFIX)) {
                    throw new IllegalStateException("a stored secret is sealed with a master key, but none was supplied;"
                            + " start with the master key (ORBIS_MASTER_KEY or --master-key-file)");
                }
                return HexFormat.of().parseHex(sealed.substring(PLAIN_PREFIX.length()));
            }

            @Override
            public boolean encrypts() {
                return false;
            }
        };
    }
}
