package org.orbis.world.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.orbis.world.store.Database;

/**
 * JDBC storage of users, API tokens and console sessions; thread-safe. Tokens and session ids are random 256-bit
 * values handed out once; only their SHA-256 is stored, so a copy of the database signs nobody in.
 */
public final class AccessStore {

    /** Prefix of every API token, so that a leaked one is easy to recognise (and to grep for in logs and repos). */
    public static final String TOKEN_PREFIX = "orbis_";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String USER_COLUMNS = "username, role, password_hash, created_at, password_set_at, disabled_at";
    private static final String TOKEN_COLUMNS = "id, hint, username, name, role, created_at, expires_at, last_used_at, "
            + "revoked_at";
    private static final String SESSION_COLUMNS = "id_hash, username, csrf_token, created_at, last_seen_at, expires_at";

    private final Database database;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccessStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A new token, its secret shown once. */
    public record NewToken(String secret, ApiToken token) {
        @Override
        public String toString() {
            return "NewToken[" + token + "]";
        }
    }

    /** A new session and the cookie value that names it, handed to the browser once. */
    public record NewSession(String cookieValue, Session session) {
        @Override
        public String toString() {
            return "NewSession[" + session + "]";
        }
    }

    /** A live token or session together with its (enabled) user. */
    public record TokenGrant(ApiToken token, User user) {
    }

    public record SessionGrant(Session session, User user) {
    }

    public static boolean isValidUsername(String username) {
        return username != null && USERNAME.matcher(username).matches();
    }

    // ---- users

    public User createUser(String username, Role role, String passwordHash) {
        if (!isValidUsername(username)) {
            throw new IllegalArgumentException("user name '" + username
                    + "' is not valid: use 1 to 64 letters, digits or . _ @ -");
        }
        Instant now = clock.instant();
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO app_user (" + USER_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, NULL)")) {
                statement.setString(1, username);
                statement.setString(2, role.name());
                statement.setString(3, passwordHash);
                setInstant(statement, 4, now);
                setInstant(statement, 5, now);
                statement.executeUpdate();
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new DuplicateUserException(username);
                }
                throw e;
            }
            return new User(username, role, passwordHash, now, now, null);
        });
    }

    public Optional<User> user(String username) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + USER_COLUMNS + " FROM app_user WHERE username = ?")) {
                statement.setString(1, username);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? Optional.of(user(rs)) : Optional.empty();
                }
            }
        });
    }

    public List<User> users() {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + USER_COLUMNS + " FROM app_user ORDER BY username");
                    ResultSet rs = statement.executeQuery()) {
                List<User> users = new ArrayList<>();
                while (rs.next()) {
                    users.add(user(rs));
                }
                return users;
            }
        });
    }

    public long countUsers() {
        return count("SELECT COUNT(*) FROM app_user");
    }

    /** Enabled admins: the platform refuses to lose its last one. */
    public long countActiveAdmins() {
        return count("SELECT COUNT(*) FROM app_user WHERE role = 'ADMIN' AND disabled_at IS NULL");
    }

    /** Changes a user's role; their sessions and tokens act with the new role from their next request. */
    public boolean setRole(String username, Role role) {
        return update("UPDATE app_user SET role = ? WHERE username = ?", role.name(), username) == 1;
    }

    /** Replaces the password hash and signs the user out everywhere. */
    public boolean setPasswordHash(String username, String passwordHash) {
        return database.inTransaction(connection -> {
            int changed;
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE app_user SET password_hash = ?, password_set_at = ? WHERE username = ?")) {
                statement.setString(1, passwordHash);
                setInstant(statement, 2, clock.instant());
                statement.setString(3, username);
                changed = statement.executeUpdate();
            }
            deleteSessionsOf(connection, username);
            return changed == 1;
        });
    }

    /** Disables (or enables again) a user; disabling ends their sessions, and their tokens stop working. */
    public boolean setDisabled(String username, boolean disabled) {
        return database.inTransaction(connection -> {
            int changed;
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE app_user SET disabled_at = ? WHERE username = ?")) {
                setInstant(statement, 1, disabled ? clock.instant() : null);
                statement.setString(2, username);
                changed = statement.executeUpdate();
            }
            if (disabled) {
                deleteSessionsOf(connection, username);
            }
            return changed == 1;
        });
    }

    /** Deletes a user with their tokens and sessions. */
    public boolean deleteUser(String username) {
        return database.inTransaction(connection -> {
            for (String table : List.of("user_session", "api_token")) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE username = ?")) {
                    statement.setString(1, username);
                    statement.executeUpdate();
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM app_user WHERE username = ?")) {
                statement.setString(1, username);
                return statement.executeUpdate() == 1;
            }
        });
    }

    // ---- API tokens

    public NewToken createToken(String username, String name, Role role, Instant expiresAt) {
        String secret = TOKEN_PREFIX + randomText();
        String hint = secret.substring(0, TOKEN_PREFIX.length() + 6);
        Instant now = clock.instant();
        long id = database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO api_token (token_hash, hint, "
                    + "username, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                statement.setString(1, sha256(secret));
                statement.setString(2, hint);
                statement.setString(3, username);
                statement.setString(4, name);
                statement.setString(5, role.name());
                setInstant(statement, 6, now);
                setInstant(statement, 7, expiresAt);
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new NewToken(secret, new ApiToken(id, hint, username, name, role, now, expiresAt, null, null));
    }

    /** The token and its user, if the secret names a token that is neither revoked nor expired of an enabled user. */
    public Optional<TokenGrant> tokenBySecret(String secret) {
        if (secret == null || !secret.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return database.read(connection -> {
            String sql = "SELECT t.id, t.hint, t.username, t.name, t.role, t.created_at, t.expires_at, t.last_used_at, "
                    + "t.revoked_at, " + prefixed("u", USER_COLUMNS)
                    + " FROM api_token t JOIN app_user u ON u.username = t.username WHERE t.token_hash = ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, sha256(secret));
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    ApiToken token = token(rs);
                    User user = user(rs, 10);
                    return token.isUsableAt(now) && !user.isDisabled() ? Optional.of(new TokenGrant(token, user))
                            : Optional.empty();
                }
            }
        });
    }

    /** Notes a token's use; callers throttle this so that a busy script does not write on every request. */
    public void markTokenUsed(long id, Instant at) {
        database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE api_token SET last_used_at = ? WHERE id = ?")) {
                setInstant(statement, 1, at);
                statement.setLong(2, id);
                return statement.executeUpdate();
            }
        });
    }

    /** Tokens of one user, or of everybody with {@code null}, newest first. */
    public List<ApiToken> tokens(String username) {
        return database.read(connection -> {
            String sql = "SELECT " + TOKEN_COLUMNS + " FROM api_token" + (username == null ? "" : " WHERE username = ?")
                    + " ORDER BY id DESC";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (username != null) {
                    statement.setString(1, username);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    List<ApiToken> tokens = new ArrayList<>();
                    while (rs.next()) {
                        tokens.add(token(rs));
                    }
                    return tokens;
                }
            }
        });
    }

    public Optional<ApiToken> token(long id) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + TOKEN_COLUMNS + " FROM api_token WHERE id = ?")) {
                statement.setLong(1, id);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? Optional.of(token(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Revokes a token at once; answers false if there is no such token or it was revoked already. */
    public boolean revokeToken(long id) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                setInstant(statement, 1, clock.instant());
                statement.setLong(2, id);
                return statement.executeUpdate() == 1;
            }
        });
    }

    // ---- sessions

    /** Opens a session that ends after {@code idle} without use, and after {@code absolute} in any case. */
    public NewSession createSession(String username, Duration idle, Duration absolute) {
        String cookie = randomText();
        Instant now = clock.instant();
        Session session = new Session(sha256(cookie), username, randomText(), now, now,
                min(now.plus(idle), now.plus(absolute)));
        database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO user_session ("
                    + SESSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, session.idHash());
                statement.setString(2, username);
                statement.setString(3, session.csrfToken());
                setInstant(statement, 4, now);
                setInstant(statement, 5, now);
                setInstant(statement, 6, session.expiresAt());
                return statement.executeUpdate();
            }
        });
        return new NewSession(cookie, session);
    }

    /** The live session a cookie names, with its enabled user. */
    public Optional<SessionGrant> sessionByCookie(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank()) {
            return Optional.empty();
        }
        return sessionByHash(sha256(cookieValue));
    }

    public Optional<SessionGrant> sessionByHash(String idHash) {
        Instant now = clock.instant();
        return database.read(connection -> {
            String sql = "SELECT s.id_hash, s.username, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, "
                    + prefixed("u", USER_COLUMNS)
                    + " FROM user_session s JOIN app_user u ON u.username = s.username WHERE s.id_hash = ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, idHash);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Session session = session(rs);
                    User user = user(rs, 7);
                    return session.isLiveAt(now) && !user.isDisabled() ? Optional.of(new SessionGrant(session, user))
                            : Optional.empty();
                }
            }
        });
    }

    /** Moves a session's idle deadline forward, never past its absolute end. */
    public Session touchSession(Session session, Duration idle, Duration absolute) {
        Instant now = clock.instant();
        Instant expires = min(now.plus(idle), session.createdAt().plus(absolute));
        database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE user_session SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?")) {
                setInstant(statement, 1, now);
                setInstant(statement, 2, expires);
                statement.setString(3, session.idHash());
                return statement.executeUpdate();
            }
        });
        return new Session(session.idHash(), session.username(), session.csrfToken(), session.createdAt(), now, expires);
    }

    public boolean deleteSession(String idHash) {
        return update("DELETE FROM user_session WHERE id_hash = ?", idHash) == 1;
    }

    public int deleteSessionsOf(String username) {
        return database.read(connection -> deleteSessionsOf(connection, username));
    }

    /** Removes sessions that have ended; returns how many. */
    public int purgeExpiredSessions() {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM user_session WHERE expires_at <= ?")) {
                setInstant(statement, 1, clock.instant());
                return statement.executeUpdate();
            }
        });
    }

    /** SHA-256 of a secret as lower-case hex: how tokens and session ids are looked up. */
    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    // ---- rows

    private static int deleteSessionsOf(Connection connection, String username) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM user_session WHERE username = ?")) {
            statement.setString(1, username);
            return statement.executeUpdate();
        }
    }

    private String randomText() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private long count(String sql) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private int update(String sql, String... parameters) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                return statement.executeUpdate();
            }
        });
    }

    private static String prefixed(String alias, String columns) {
        return alias + "." + columns.replace(", ", ", " + alias + ".");
    }

    private static User user(ResultSet rs) throws SQLException {
        return user(rs, 1);
    }

    /** A user from the {@link #USER_COLUMNS} that start at column {@code first}. */
    private static User user(ResultSet rs, int first) throws SQLException {
        return new User(rs.getString(first), Role.valueOf(rs.getString(first + 1)), rs.getString(first + 2),
                instant(rs, first + 3), instant(rs, first + 4), instant(rs, first + 5));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Role.valueOf(rs.getString(5)),
                instant(rs, 6), instant(rs, 7), instant(rs, 8), instant(rs, 9));
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
                instant(rs, 6));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

}
