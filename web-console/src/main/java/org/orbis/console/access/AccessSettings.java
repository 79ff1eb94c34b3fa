package org.orbis.console.access;

import java.time.Duration;

/**
 * How long console sessions live.
 *
 * @param idleTimeout a session ends after this long without a request
 * @param absoluteLifetime and after this long in any case, however busy
 * @param secureCookies mark the session cookie {@code Secure} (set behind HTTPS; requests that arrive over HTTPS, or
 *        with {@code X-Forwarded-Proto: https}, get it anyway)
 */
public record AccessSettings(Duration idleTimeout, Duration absoluteLifetime, boolean secureCookies) {

    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);

    public AccessSettings {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteLifetime.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("session idle timeout must be positive and at most the absolute lifetime");
        }
    }

    public static AccessSettings defaults() {
        return new AccessSettings(DEFAULT_IDLE, DEFAULT_ABSOLUTE, false);
    }
}
