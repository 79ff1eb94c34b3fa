package org.orbis.world.access;

import java.time.Instant;

/**
 * An API token as stored: never the token itself, only its hash and a short hint to recognise it by.
 *
 * @param role the most the token may do; it acts with the lower of this and its user's role
 */
public record ApiToken(long id, String hint, String username, String name, Role role, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean isUsableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
