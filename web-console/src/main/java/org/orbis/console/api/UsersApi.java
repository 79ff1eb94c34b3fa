package org.orbis.console.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.orbis.console.access.AccessControl;
import org.orbis.console.access.Passwords;
import org.orbis.console.access.Principal;
import org.orbis.world.access.AccessStore;
import org.orbis.world.access.AccessStore.NewToken;
import org.orbis.world.access.ApiToken;
import org.orbis.world.access.DuplicateUserException;
import org.orbis.world.access.Role;
import org.orbis.world.access.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin only: {@code /api/users} (create, change role, reset password, disable, delete) and {@code /api/tokens} (API
 * tokens for scripts, shown once). The platform never loses its last enabled admin.
 */
final class UsersApi {

    private static final Logger LOG = LoggerFactory.getLogger(UsersApi.class);

    private final AccessStore store;
    private final Passwords passwords;

    UsersApi(AccessStore store, Passwords passwords) {
        this.store = store;
        this.passwords = passwords;
    }

    record NewUserBody(String username, String role, String password) {
        @Override
        public String toString() {
            return "NewUserBody[" + username + "]";
        }
    }

    record ChangeUserBody(String role, String password, Boolean disabled) {
        @Override
        public String toString() {
            return "ChangeUserBody[" + role + ", " + disabled + "]";
        }
    }

    record NewTokenBody(String name, String username, String role, String expiresIn) {
    }

    record UserView(String username, String role, Instant createdAt, Instant passwordSetAt, boolean disabled) {
        static UserView of(User user) {
            return new UserView(user.username(), user.role().label(), user.createdAt(), user.passwordSetAt(),
                    user.isDisabled());
        }
    }

    record TokenView(long id, String name, String hint, String username, String role, Instant createdAt,
            Instant expiresAt, Instant lastUsedAt, Instant revokedAt, String token, String note) {
        static TokenView of(ApiToken token) {
            return of(token, null);
        }

        static TokenView of(ApiToken token, String secret) {
            return new TokenView(token.id(), token.name(), token.hint() + "…", token.username(), token.role().label(),
                    token.createdAt(), token.expiresAt(), token.lastUsedAt(), token.revokedAt(), secret,
                    secret == null ? null : "The token is shown only in this answer: store it now. Send it as "
                            + "'Authorization: Bearer <token>'.");
        }
    }

    void list(Context ctx) {
        ctx.json(java.util.Map.of("users", store.users().stream().map(UserView::of).toList()));
    }

    void create(Context ctx) {
        NewUserBody body = Json.parse(ctx.body(), NewUserBody.class);
        if (body.username() == null || body.password() == null) {
            throw ApiException.badRequest("fields 'username' and 'password' are required; 'role' defaults to viewer");
        }
        Role role = role(body.role(), Role.VIEWER);
        User user;
        try {
            user = store.createUser(body.username(), role, passwords.hash(body.password()));
        } catch (DuplicateUserException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        LOG.info("user '{}' ({}) created by '{}'", user.username(), role.label(), AccessControl.principal(ctx).username());
        ctx.status(201).header("Location", "/api/users/" + user.username()).json(UserView.of(user));
    }

    void change(Context ctx) {
        User user = requireUser(ctx.pathParam("username"));
        ChangeUserBody body = Json.parse(ctx.body(), ChangeUserBody.class);
        String by = AccessControl.principal(ctx).username();
        if (body.role() != null) {
            Role role = role(body.role(), user.role());
            if (user.role() == Role.ADMIN && role != Role.ADMIN) {
                requireAnotherAdmin(user);
            }
            store.setRole(user.username(), role);
            LOG.info("user '{}' now has role {} (changed by '{}')", user.username(), role.label(), by);
        }
        if (body.password() != null) {
            try {
                store.setPasswordHash(user.username(), passwords.hash(body.password()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            LOG.info("password of '{}' reset by '{}'; their sessions were ended", user.username(), by);
        }
        if (body.disabled() != null) {
            if (body.disabled() && user.role() == Role.ADMIN) {
                requireAnotherAdmin(user);
            }
            store.setDisabled(user.username(), body.disabled());
            LOG.info("user '{}' {} by '{}'", user.username(), body.disabled() ? "disabled" : "enabled", by);
        }
        ctx.json(UserView.of(requireUser(user.username())));
    }

    void delete(Context ctx) {
        User user = requireUser(ctx.pathParam("username"));
        if (user.role() == Role.ADMIN) {
            requireAnotherAdmin(user);
        }
        store.deleteUser(user.username());
        LOG.info("user '{}' deleted by '{}'", user.username(), AccessControl.principal(ctx).username());
        ctx.status(204);
    }

    void listTokens(Context ctx) {
        String username = ctx.queryParam("username");
        List<TokenView> tokens = store.tokens(username == null || username.isBlank() ? null : username).stream()
                .map(TokenView::of).toList();
        ctx.json(java.util.Map.of("tokens", tokens));
    }

    void createToken(Context ctx) {
        NewTokenBody body = Json.parse(ctx.body(), NewTokenBody.class);
        if (body.name() == null || body.name().isBlank() || body.name().length() > 128) {
            throw ApiException.badRequest("field 'name' is required (1 to 128 characters), e.g. \"nightly export\"");
        }
        Principal principal = AccessControl.principal(ctx);
        User owner = requireUser(body.username() == null || body.username().isBlank() ? principal.username()
                : body.username());
        Role role = role(body.role(), owner.role());
        if (!owner.role().includes(role)) {
            throw ApiException.badRequest("a token of '" + owner.username() + "' can have at most their role "
                    + owner.role().label() + ", not " + role.label());
        }
        var expiresIn = CommandsApi.duration(body.expiresIn());
        NewToken token = store.createToken(owner.username(), body.name().strip(), role,
                expiresIn == null ? null : Instant.now().plus(expiresIn));
        LOG.info("API token {} '{}' ({}) for '{}' created by '{}'", token.token().id(), token.token().name(),
                role.label(), owner.username(), principal.username());
        ctx.status(201).json(TokenView.of(token.token(), token.secret()));
    }

    void revokeToken(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("token id must be a number, not '" + ctx.pathParam("id") + "'");
        }
        ApiToken token = store.token(id).orElseThrow(() -> ApiException.notFound("no API token " + id));
        store.revokeToken(id);
        LOG.info("API token {} of '{}' revoked by '{}'", id, token.username(), AccessControl.principal(ctx).username());
        ctx.json(TokenView.of(store.token(id).orElseThrow()));
    }

    private void requireAnotherAdmin(User user) {
        if (!user.isDisabled() && store.countActiveAdmins() <= 1) {
            throw ApiException.conflict("'" + user.username() + "' is the last enabled admin; make another admin first");
        }
    }

    private User requireUser(String username) {
        return store.user(username).orElseThrow(() -> ApiException.notFound("no user '" + username + "'"));
    }

    private static Role role(String label, Role fallback) {
        if (label == null || label.isBlank()) {
            return fallback;
        }
        try {
            return Role.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
