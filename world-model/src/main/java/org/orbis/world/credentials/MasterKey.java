package org.orbis.world.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit AES key that seals device secrets at rest (AES-GCM, a fresh 96-bit nonce per secret). It is supplied
 * from outside the database: an environment variable or a key file holding the key in base64. The key never appears
 * in {@link #toString()}; {@link #fingerprint()} identifies it in logs.
 */
public final class MasterKey {

    public static final int KEY_BYTES = 32;
    private static final String PREFIX = "aesgcm1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    private MasterKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be " + KEY_BYTES + " bytes (base64 of 32 random "
                    + "bytes, e.g. 'openssl rand -base64 32'), not " + key.length);
        }
        this.key = key.clone();
    }

    /** A fresh random key (tests; the dev key file). */
    public static MasterKey generate() {
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        return new MasterKey(fresh);
    }

    /** A key from its base64 text, as held in ORBIS_MASTER_KEY or a key file. */
    public static MasterKey fromBase64(String text) {
        try {
            return new MasterKey(Base64.getDecoder().decode(text.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("the master key") ? e.getMessage()
                    : "the master key is not valid base64; create one with 'openssl rand -base64 32'");
        }
    }

    public static MasterKey read(Path file) {
        try {
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read master key file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the key file, or creates it (owner-only permissions where the file system has them) with a new key. */
    public static MasterKey readOrCreate(Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] fresh = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(fresh);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create master key file " + file + ": " + e.getMessage(), e);
        }
        return new MasterKey(fresh);
    }

    /** The first 8 bytes of the key's SHA-256, hex: tells keys apart in logs without revealing them. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SecretSealer sealer() {
        return new SecretSealer() {
            @Override
            public String seal(byte[] secret) {
                byte[] nonce = new byte[NONCE_BYTES];
                random.nextBytes(nonce);
                byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, secret);
                byte[] out = new byte[NONCE_BYTES + sealed.length];
                System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
                System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
                return PREFIX + Base64.getEncoder().encodeToString(out);
            }

            @Override
            public byte[] open(String sealed) {
                if (sealed.startsWith(PLAIN_PREFIX)) {
                    return SecretSealer.plaintext().open(sealed);
                }
                if (!sealed.startsWith(PREFIX)) {
                    throw new IllegalStateException("a stored secret has an unknown format");
                }
                byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
                return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(all, NONCE_BYTES),
                        Arrays.copyOfRange(all, NONCE_BYTES, all.length));
            }

            @Override
            public boolean encrypts() {
                return true;
            }
        };
    }

    private byte[] cipher(int mode, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("a stored secret was sealed with a different master key (this key's "
                    + "fingerprint is " + fingerprint() + "); start with the key the database was sealed with", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[fingerprint=" + fingerprint() + "]";
    }
}
