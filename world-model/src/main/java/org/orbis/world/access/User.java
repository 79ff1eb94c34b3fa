package org.orbis.world.access;

import java.time.Instant;

/**
 * A person (or a service account) who signs in. {@code toString()} leaves the password hash out.
 *
 * @param passwordHash a self-describing hash such as {@code {argon2}$argon2id$…}, never a password
 */
public record User(String username, Role role, String passwordHash, Instant createdAt, Instant passwordSetAt,
        Instant disabledAt) {

    public boolean isDisabled() {
        return disabledAt != null;
    }

    @Override
    public String toString() {
        return "User[" + username + ", " + role.label() + (isDisabled() ? ", disabled" : "") + "]";
    }
}
