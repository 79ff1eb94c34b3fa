package org.orbis.console.api;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.orbis.console.access.AccessControl;
import org.orbis.console.access.DemoAccount;
import org.orbis.console.access.Passwords;
import org.orbis.console.access.Principal;
import org.orbis.world.access.AccessStore;
import org.orbis.world.access.AccessStore.NewSession;
import org.orbis.world.access.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/session}: sign in (a cookie session and its CSRF token), who am I, sign out. After
 * {@value #MAX_FAILURES} failed sign-ins for one user name within {@link #FAILURE_WINDOW}, further attempts for it are
 * refused with 429 until the window has passed.
 */
final class SessionApi {

    static final int MAX_FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(SessionApi.class);

    private final AccessControl access;
    private final Passwords passwords;
    private final boolean demo;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    SessionApi(AccessControl access, Passwords passwords, boolean demo) {
        this.access = access;
        this.passwords = passwords;
        this.demo = demo;
    }

    record SignInBody(String username, String password) {
        @Override
        public String toString() {
            return "SignInBody[" + username + "]";
        }
    }

    record SessionView(String username, String role, String via, String csrfToken, Instant expiresAt,
            long idleTimeoutSeconds) {
    }

    /** @param session who is signed in with this request's cookie or token, or {@code null} */
    record ConsoleInfoView(boolean demo, String demoUser, String signIn, SessionView session) {
    }

    private record Failures(int count, Instant since) {
    }

    /**
     * {@code GET /api/console}: what the console needs before anyone signs in, and who is signed in if anybody (so
     * that loading the page does not need a request that fails with 401).
     */
    void info(Context ctx) {
        SessionView session = access.authenticate(ctx).map(this::view).orElse(null);
        ctx.json(new ConsoleInfoView(demo, demo ? DemoAccount.USERNAME : null,
                "POST /api/session with {\"username\",\"password\"}", session));
    }

    private SessionView view(Principal principal) {
        Instant expires = principal.via() == Principal.Via.SESSION
                ? access.store().sessionByHash(principal.sessionIdHash()).map(grant -> grant.session().expiresAt())
                        .orElse(null)
                : null;
        return new SessionView(principal.username(), principal.role().label(),
                principal.via().name().toLowerCase(java.util.Locale.ROOT), principal.csrfToken(), expires,
                access.settings().idleTimeout().toSeconds());
    }

    void signIn(Context ctx) {
        SignInBody body = Json.parse(ctx.body(), SignInBody.class);
        if (body.username() == null || body.username().isBlank() || body.password() == null) {
            throw ApiException.badRequest("fields 'username' and 'password' are required");
        }
        String username = body.username().strip();
        Instant now = Instant.now();
        Failures failed = failures.get(username);
        if (failed != null && failed.count() >= MAX_FAILURES && failed.since().plus(FAILURE_WINDOW).isAfter(now)) {
            long wait = Duration.between(now, failed.since().plus(FAILURE_WINDOW)).toSeconds() + 1;
            ctx.header("Retry-After", Long.toString(wait));
            LOG.warn("sign-in for '{}' refused: {} failed attempts in the last {} min", username, failed.count(),
                    FAILURE_WINDOW.toMinutes());
            throw new ApiException(429, "Too many failed sign-ins", "too many failed sign-ins for '" + username
                    + "'; try again in " + wait + " s");
        }
        AccessStore store = access.store();
        User user = AccessStore.isValidUsername(username) ? store.user(username).orElse(null) : null;
        boolean matches = passwords.matches(body.password(), user == null ? null : user.passwordHash());
        if (!matches || user.isDisabled()) {
            failures.merge(username, new Failures(1, now), (old, one) -> old.since().plus(FAILURE_WINDOW).isBefore(now)
                    ? one : new Failures(old.count() + 1, old.since()));
            LOG.warn("sign-in failed for '{}' from {}: {}", username, ctx.ip(),
                    user == null ? "no such user" : user.isDisabled() ? "user disabled" : "wrong password");
            throw new ApiException(401, "Sign-in failed", "wrong user name or password"
                    + (user != null && user.isDisabled() && matches ? " (or the user is disabled)" : ""),
                    Map.of("reason", "credentials"));
        }
        failures.remove(username);
        NewSession session = store.createSession(user.username(), access.settings().idleTimeout(),
                access.settings().absoluteLifetime());
        access.setSessionCookie(ctx, session.cookieValue());
        LOG.info("user '{}' ({}) signed in from {}", user.username(), user.role().label(), ctx.ip());
        ctx.json(new SessionView(user.username(), user.role().label(), "session", session.session().csrfToken(),
                session.session().expiresAt(), access.settings().idleTimeout().toSeconds()));
    }

    void current(Context ctx) {
        ctx.json(view(AccessControl.principal(ctx)));
    }

    void signOut(Context ctx) {
        Principal principal = AccessControl.principal(ctx);
        if (principal.via() != Principal.Via.SESSION) {
            throw ApiException.badRequest("an API token has no session to end; an admin revokes tokens with "
                    + "DELETE /api/tokens/{id}");
        }
        access.store().deleteSession(principal.sessionIdHash());
        access.clearSessionCookie(ctx);
        LOG.info("user '{}' signed out", principal.username());
        ctx.status(204);
    }
}
