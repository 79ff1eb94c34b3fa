package org.orbis.console.access;

import org.orbis.world.access.Role;

/**
 * Who is making a request and with what role: a signed-in console user (cookie session) or a script (API token).
 * {@code toString()} leaves the CSRF token out.
 *
 * @param role the role in force: the user's, or for a token the lower of the token's and the user's
 * @param sessionIdHash the session's id hash, for sessions
 * @param csrfToken the session's CSRF token, for sessions
 * @param tokenId the API token's id, for tokens
 */
public record Principal(String username, Role role, Via via, String sessionIdHash, String csrfToken, Long tokenId) {

    /** How the principal proved who it is. */
    public enum Via {
        SESSION,
        TOKEN
    }

    @Override
    public String toString() {
        return "Principal[" + username + ", " + role.label() + ", " + via + "]";
    }
}
