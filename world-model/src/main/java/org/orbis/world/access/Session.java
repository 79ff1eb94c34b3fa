package org.orbis.world.access;

import java.time.Instant;

/**
 * A signed-in console session as stored: the hash of its cookie value, whose it is, the CSRF token that must
 * accompany every write made with it, and when it ends (idle timeout, moved forward as the user works, capped by an
 * absolute lifetime from {@code createdAt}). {@code toString()} leaves the CSRF token out.
 */
public record Session(String idHash, String username, String csrfToken, Instant createdAt, Instant lastSeenAt,
        Instant expiresAt) {

    public boolean isLiveAt(Instant now) {
        return expiresAt.isAfter(now);
    }

    @Override
    public String toString() {
        return "Session[" + username + ", until " + expiresAt + "]";
    }
}
