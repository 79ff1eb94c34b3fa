package org.orbis.console.access;

import java.util.HashMap;
import java.util.Map;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password hashing with Spring Security's crypto module: Argon2id for new hashes (stored self-describing as
 * {@code {argon2}…}, so the algorithm can change later and older hashes still verify), and the minimum a password
 * must meet. Unknown users are checked against a dummy hash so that a sign-in takes as long for them.
 */
public final class Passwords {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 256;

    private final PasswordEncoder encoder;
    private final String dummyHash;

    public Passwords() {
        Map<String, PasswordEncoder> encoders = new HashMap<>();
        encoders.put("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8());
        encoders.put("bcrypt", new BCryptPasswordEncoder());
        this.encoder = new DelegatingPasswordEncoder("argon2", encoders);
        this.dummyHash = encoder.encode("orbis-dummy-password-for-timing");
    }

    /** Fails with a message a person can act on if the password is too weak to store. */
    public static void requireAcceptable(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the password must have at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the password must have at most " + MAX_LENGTH + " characters");
        }
        if (password.isBlank() || password.chars().distinct().count() < 4) {
            throw new IllegalArgumentException("the password is too simple: use at least 4 different characters");
        }
    }

    public String hash(String password) {
        requireAcceptable(password);
        return encoder.encode(password);
    }

    /** Whether the password matches; with a {@code null} hash (no such user) it spends the same time and says no. */
    public boolean matches(String password, String hash) {
        if (password == null || password.length() > MAX_LENGTH) {
            return false;
        }
        if (hash == null) {
            encoder.matches(password, dummyHash);
            return false;
        }
        return encoder.matches(password, hash);
    }
}
