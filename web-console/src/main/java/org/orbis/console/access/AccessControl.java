package org.orbis.console.access;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.orbis.console.api.ApiException;
import org.orbis.world.access.AccessStore;
import org.orbis.world.access.ApiToken;
import org.orbis.world.access.Role;
import org.orbis.world.access.Session;

/**
 * The check in front of every API route: who is asking (a {@code Bearer} API token, or the session cookie), whether
 * their role includes the one the route was registered with ({@link Access}), and for cookie sessions whether an
 * unsafe request carries the session's CSRF token in {@value #CSRF_HEADER}. Answers 401 when nobody is signed in and
 * 403 when the role or the CSRF token is wrong, both as problem+json that says what to do.
 */
public final class AccessControl {

    public static final String SESSION_COOKIE = "orbis_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String PRINCIPAL = "orbis.principal";
    /** Sessions and tokens record their use at most this often, so that reads stay reads. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private final AccessStore store;
    private final AccessSettings settings;

    public AccessControl(AccessStore store, AccessSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    public AccessStore store() {
        return store;
    }

    public AccessSettings settings() {
        return settings;
    }

    /** Javalin {@code beforeMatched} handler for {@code /api/*}. */
    public void check(Context ctx) {
        Access needed = needed(ctx);
        if (needed == Access.PUBLIC) {
            return;
        }
        Principal principal = authenticate(ctx).orElseThrow(() -> unauthenticated(ctx));
        if (principal.via() == Principal.Via.SESSION && isUnsafe(ctx.method())
                && !constantTimeEquals(ctx.header(CSRF_HEADER), principal.csrfToken())) {
            throw new ApiException(403, "CSRF token missing or wrong", "a request that changes something, made with "
                    + "the console's session cookie, must carry the session's CSRF token in the " + CSRF_HEADER
                    + " header (GET /api/session returns it); scripts should use an API token instead",
                    Map.of("reason", "csrf"));
        }
        if (!principal.role().includes(needed.role())) {
            throw new ApiException(403, "Not allowed for your role", "'" + principal.username() + "' has the role "
                    + principal.role().label() + "; " + ctx.method() + " " + ctx.path() + " needs "
                    + needed.role().label() + (needed.role() == Role.ADMIN ? "" : " or more")
                    + ". Ask an admin to change your role.",
                    Map.of("reason", "role", "role", principal.role().label(), "requiredRole", needed.role().label()));
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    /** The principal the check found for this request; only on routes that are not public. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no principal on " + ctx.path() + ": the route is public");
        }
        return principal;
    }

    /** The principal of a request, if it brings valid credentials, whatever the route needs. */
    public Optional<Principal> authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.empty();
            }
            return store.tokenBySecret(authorization.substring(7).strip()).map(grant -> {
                ApiToken token = grant.token();
                Instant now = Instant.now();
                if (token.lastUsedAt() == null || token.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
                    store.markTokenUsed(token.id(), now);
                }
                return new Principal(grant.user().username(), Role.lower(token.role(), grant.user().role()),
                        Principal.Via.TOKEN, null, null, token.id());
            });
        }
        return store.sessionByCookie(ctx.cookie(SESSION_COOKIE)).map(grant -> {
            Session session = grant.session();
            if (session.lastSeenAt().plus(TOUCH_EVERY).isBefore(Instant.now())) {
                session = store.touchSession(session, settings.idleTimeout(), settings.absoluteLifetime());
            }
            return new Principal(grant.user().username(), grant.user().role(), Principal.Via.SESSION,
                    session.idHash(), session.csrfToken(), null);
        });
    }

    /** Whether the principal's session or token still works (a long-lived event stream asks this now and then). */
    public boolean isStillValid(Principal principal) {
        return switch (principal.via()) {
            case SESSION -> store.sessionByHash(principal.sessionIdHash()).isPresent();
            case TOKEN -> store.token(principal.tokenId()).map(token -> token.isUsableAt(Instant.now())).orElse(false)
                    && store.user(principal.username()).map(user -> !user.isDisabled()).orElse(false);
        };
    }

    /** Sets the session cookie: HttpOnly, SameSite=Strict, Secure behind HTTPS; it lives as long as the browser. */
    public void setSessionCookie(Context ctx, String value) {
        ctx.cookie(new Cookie(SESSION_COOKIE, value, "/", -1, isSecure(ctx), true, null, SameSite.STRICT));
    }

    public void clearSessionCookie(Context ctx) {
        ctx.cookie(new Cookie(SESSION_COOKIE, "", "/", 0, isSecure(ctx), true, null, SameSite.STRICT));
    }

    private boolean isSecure(Context ctx) {
        return settings.secureCookies() || "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static Access needed(Context ctx) {
        for (RouteRole role : ctx.routeRoles()) {
            if (role instanceof Access access) {
                return access;
            }
        }
        // fail closed: a route someone forgot to classify is for admins only
        return Access.ADMIN;
    }

    private ApiException unauthenticated(Context ctx) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"orbis\"");
        String detail;
        String reason;
        if (ctx.header("Authorization") != null) {
            reason = "token";
            detail = "the API token is unknown, revoked or expired (send 'Authorization: Bearer orbis_…'; an admin "
                    + "creates tokens with POST /api/tokens)";
        } else if (ctx.cookie(SESSION_COOKIE) != null && !ctx.cookie(SESSION_COOKIE).isBlank()) {
            reason = "session-ended";
            detail = "your session has ended (signed out, expired after " + settings.idleTimeout().toMinutes()
                    + " min without use, or the password changed); sign in again";
        } else {
            reason = "sign-in";
            detail = "sign in first: POST /api/session with {\"username\",\"password\"} (the console at / does this), "
                    + "or send an API token as 'Authorization: Bearer orbis_…'";
        }
        return new ApiException(401, "Not signed in", detail, Map.of("reason", reason));
    }

    private static boolean isUnsafe(HandlerType method) {
        return !(method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS);
    }

    private static boolean constantTimeEquals(String given, String expected) {
        if (given == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
