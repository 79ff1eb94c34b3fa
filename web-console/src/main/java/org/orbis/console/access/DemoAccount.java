package org.orbis.console.access;

import java.time.Duration;
import java.time.Instant;

import java.security.SecureRandom;
import java.util.Base64;
import org.orbis.world.access.AccessStore;
import org.orbis.world.access.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo user that only {@code --demo} creates: {@value #USERNAME}, an admin, with the password from
 * {@code ORBIS_DEMO_PASSWORD} or a new random one on every start. The password goes to the terminal (never to the
 * log); the log and the console's sign-in page say loudly that a demo user exists.
 */
public final class DemoAccount {

    public static final String USERNAME = "demo";
    private static final Logger LOG = LoggerFactory.getLogger(DemoAccount.class);

    private DemoAccount() {
    }

    /** Creates or resets the demo user; returns its password. */
    public static String ensure(AccessStore store, Passwords passwords, String givenPassword) {
        String password = givenPassword != null && !givenPassword.isBlank() ? givenPassword : generated();
        String hash = passwords.hash(password);
        if (store.user(USERNAME).isPresent()) {
            store.setPasswordHash(USERNAME, hash);
            store.setRole(USERNAME, Role.ADMIN);
            store.setDisabled(USERNAME, false);
        } else {
            store.createUser(USERNAME, Role.ADMIN, hash);
        }
        LOG.warn("DEMO MODE: user '{}' (admin) is enabled with {} password; it exists for trying Orbis only - "
                + "never run --demo in production", USERNAME, givenPassword == null || givenPassword.isBlank()
                        ? "a random (printed on the terminal)" : "the ORBIS_DEMO_PASSWORD");
        // A token for the README's tour (curl): valid for a day, printed here once, never logged.
        String token = store.createToken(USERNAME, "demo tour " + Instant.now(), Role.ADMIN,
                Instant.now().plus(Duration.ofDays(1))).secret();
        System.out.println();
        System.out.println("  ============================================================");
        System.out.println("   DEMO MODE - sign in to the console as:");
        System.out.println("     user:     " + USERNAME);
        System.out.println("     password: " + (givenPassword == null || givenPassword.isBlank() ? password
                : "(the one in ORBIS_DEMO_PASSWORD)"));
        System.out.println("   API token for scripts (valid 24 h):");
        System.out.println("     export ORBIS_TOKEN=" + token);
        System.out.println("   (a new password and token on every start)");
        System.out.println("  ============================================================");
        System.out.println();
        return password;
    }

    private static String generated() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
