package org.orbis.world.commands;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.store.FeedTransaction;
import org.orbis.world.store.JsonText;
import org.orbis.world.store.StoreException;
import org.orbis.world.store.WorldStore;

/**
 * The durable per-device command queue. A device's commands are delivered one at a time, highest priority first and
 * then in queueing order; {@link #claimNext} hands the deliverer the next one and marks it sent in the same
 * transaction, so a command is never handed out twice. Every status change appends a {@code COMMAND} change event.
 * Thread-safe.
 */
public final class CommandStore {

    static final String COLUMNS = "id, endpoint, kind, path, payload, priority, coalesce_key, origin, status, attempts, "
            + "max_attempts, created_at, expires_at, not_before, updated_at, response_code, response";

    private final WorldStore world;

    public CommandStore(WorldStore world) {
        this.world = world;
    }

    /** Queues a command; a queued command with the same coalesce key for the same device is cancelled. */
    public Command enqueue(NewCommand command) {
        return world.inFeedTransaction(feed -> insert(feed, command));
    }

    /**
     * Queues a command inside the caller's feed transaction, so that it commits (or not) together with the caller's
     * own changes; a queued command with the same coalesce key for the same device is cancelled.
     */
    public Command enqueue(FeedTransaction feed, NewCommand command) {
        try {
            return insert(feed, command);
        } catch (SQLException e) {
            throw new StoreException("queueing a command for " + command.endpoint() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Cancels a command inside the caller's feed transaction if it is still queued; one already sent or finished is
     * left alone. Returns whether it was cancelled.
     */
    public boolean cancelIfQueued(FeedTransaction feed, long id, String reason) {
        try {
            Optional<Command> command = first(feed.connection(), "SELECT " + COLUMNS + " FROM device_command WHERE id = ?", id);
            if (command.isEmpty() || command.get().status() != CommandStatus.QUEUED) {
                return false;
            }
            transition(feed, command.get(), CommandStatus.CANCELLED, command.get().attempts(), null, "CANCELLED",
                    "{\"detail\":" + JsonText.quote(reason) + "}");
            return true;
        } catch (SQLException e) {
            throw new StoreException("cancelling command " + id + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The device's next command, now marked {@code SENT} with one more attempt, or empty if it has none that may be
     * sent now. Commands found expired on the way are marked {@code EXPIRED}. A retry that must wait ({@code
     * notBefore} in the future) holds back the commands behind it, so order is kept.
     */
    public Optional<Command> claimNext(String endpoint) {
        if (!mayClaim(endpoint)) {
            return Optional.empty();
        }
        return world.inFeedTransaction(feed -> {
            if (first(feed.connection(), "SELECT " + COLUMNS + " FROM device_command WHERE endpoint = ? AND status = 'SENT'",
                    endpoint).isPresent()) {
                return Optional.empty();
            }
            while (true) {
                Optional<Command> head = first(feed.connection(), "SELECT " + COLUMNS + " FROM device_command "
                        + "WHERE endpoint = ? AND status = 'QUEUED' ORDER BY priority DESC, id ASC", endpoint);
                if (head.isEmpty()) {
                    return Optional.empty();
                }
                Command next = head.get();
                Instant now = feed.now();
                if (!next.expiresAt().isAfter(now)) {
                    transition(feed, next, CommandStatus.EXPIRED, next.attempts(), null, "EXPIRED",
                            "{\"detail\":\"expired before it could be delivered\"}");
                    continue;
                }
                if (next.notBefore() != null && next.notBefore().isAfter(now)) {
                    return Optional.empty();
                }
                return Optional.of(transition(feed, next, CommandStatus.SENT, next.attempts() + 1, null, null, null));
            }
        });
    }

    /**
     * Whether the device has a queued command and none in flight, read without taking the change feed's lock: most
     * nudges (a wake-up, the end of the previous command, the periodic sweep) find nothing to send, and each one would
     * otherwise queue behind every writer of the feed. A command queued or finished after this read nudges again.
     */
    private boolean mayClaim(String endpoint) {
        return world.database().read(connection -> {
            boolean queued = false;
            try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT status FROM device_command "
                    + "WHERE endpoint = ? AND status IN ('QUEUED', 'SENT')")) {
                statement.setString(1, endpoint);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).equals("SENT")) {
                            return false;
                        }
                        queued = true;
                    }
                }
            }
            return queued;
        });
    }

    /** Records the final outcome of a sent command. */
    public Command complete(long id, boolean succeeded, String responseCode, String response) {
        return world.inFeedTransaction(feed -> {
            Command command = require(feed.connection(), id);
            if (command.status() != CommandStatus.SENT) {
                throw new CommandStateException("command " + id + " is " + command.status().label() + ", not sent");
            }
            return transition(feed, command, succeeded ? CommandStatus.SUCCEEDED : CommandStatus.FAILED,
                    command.attempts(), null, responseCode, response);
        });
    }

    /**
     * Puts a sent command back in the queue after a failed attempt (no answer, device asleep), to be sent again not
     * before {@code notBefore}; once its attempts are used up it fails instead.
     */
    public Command retry(long id, String reason, Instant notBefore) {
        return world.inFeedTransaction(feed -> {
            Command command = require(feed.connection(), id);
            if (command.status() != CommandStatus.SENT) {
                throw new CommandStateException("command " + id + " is " + command.status().label() + ", not sent");
            }
            if (command.attempts() >= command.maxAttempts()) {
                return transition(feed, command, CommandStatus.FAILED, command.attempts(), null, reason,
                        "{\"detail\":\"gave up after " + command.attempts() + " attempts\"}");
            }
            return transition(feed, command, CommandStatus.QUEUED, command.attempts(), notBefore, reason, null);
        });
    }

    /**
     * Puts a command that was claimed but never left (the device fell asleep just before it was sent) back at its place
     * in the queue, without counting an attempt.
     */
    public Command release(long id, String reason) {
        return world.inFeedTransaction(feed -> {
            Command command = require(feed.connection(), id);
            if (command.status() != CommandStatus.SENT) {
                throw new CommandStateException("command " + id + " is " + command.status().label() + ", not sent");
            }
            return transition(feed, command, CommandStatus.QUEUED, Math.max(0, command.attempts() - 1), null, reason,
                    null);
        });
    }

    /** Cancels a queued command. */
    public Command cancel(long id) {
        return world.inFeedTransaction(feed -> {
            Command command = require(feed.connection(), id);
            if (command.status() != CommandStatus.QUEUED) {
                throw new CommandStateException("command " + id + " is " + command.status().label()
                        + " and can no longer be cancelled");
            }
            return transition(feed, command, CommandStatus.CANCELLED, command.attempts(), null, "CANCELLED",
                    "{\"detail\":\"cancelled by an operator\"}");
        });
    }

    /**
     * Commands left {@code SENT} by a server that stopped before hearing the answer go back to the queue; the device
     * may see them twice, which is why writes are idempotent replaces.
     */
    public int requeueInFlight() {
        return world.inFeedTransaction(feed -> {
            List<Command> inFlight = all(feed.connection(), "SELECT " + COLUMNS + " FROM device_command WHERE status = 'SENT'");
            for (Command command : inFlight) {
                transition(feed, command, CommandStatus.QUEUED, command.attempts(), null, "RESTARTED", null);
            }
            return inFlight.size();
        });
    }

    /** Marks every queued command whose expiry has passed as expired; returns how many. */
    public int expireDue() {
        return world.inFeedTransaction(feed -> {
            List<Command> due = all(feed.connection(), "SELECT " + COLUMNS + " FROM device_command "
                    + "WHERE status = 'QUEUED' AND expires_at <= ?", feed.now());
            for (Command command : due) {
                transition(feed, command, CommandStatus.EXPIRED, command.attempts(), null, "EXPIRED",
                        "{\"detail\":\"expired before it could be delivered\"}");
            }
            return due.size();
        });
    }

    /** The devices that have queued commands. */
    public Set<String> endpointsWithQueued() {
        return world.database().read(connection -> {
            Set<String> endpoints = new LinkedHashSet<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT DISTINCT endpoint FROM device_command WHERE status = 'QUEUED'");
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    endpoints.add(rs.getString(1));
                }
            }
            return endpoints;
        });
    }

    public Optional<Command> get(long id) {
        return world.database().read(connection -> first(connection,
                "SELECT " + COLUMNS + " FROM device_command WHERE id = ?", id));
    }

    public List<Command> list(CommandQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM device_command WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (query.endpoint() != null) {
            sql.append(" AND endpoint = ?");
            parameters.add(query.endpoint());
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
            parameters.add(query.status().name());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(query.limit()).append(" OFFSET ").append(query.offset());
        return world.database().read(connection -> all(connection, sql.toString(), parameters.toArray()));
    }

    /** Cancels the device's queued commands with this coalesce key, inside the caller's feed transaction. */
    static void supersede(FeedTransaction feed, String endpoint, String coalesceKey) throws SQLException {
        List<Command> older = all(feed.connection(), "SELECT " + COLUMNS + " FROM device_command WHERE endpoint = ? "
                + "AND coalesce_key = ? AND status = 'QUEUED'", endpoint, coalesceKey);
        for (Command superseded : older) {
            transition(feed, superseded, CommandStatus.CANCELLED, superseded.attempts(), null, "SUPERSEDED",
                    "{\"detail\":\"superseded by a newer command or desired value\"}");
        }
    }

    /** Inserts a command inside the caller's feed transaction (used by desired values too). */
    static Command insert(FeedTransaction feed, NewCommand command) throws SQLException {
        Connection connection = feed.connection();
        if (command.coalesceKey() != null) {
            supersede(feed, command.endpoint(), command.coalesceKey());
        }
        Instant now = feed.now();
        String sql = "INSERT INTO device_command (endpoint, kind, path, payload, priority, coalesce_key, origin, status, "
                + "attempts, max_attempts, created_at, expires_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, 'QUEUED', 0, ?, ?, ?, ?)";
        long id;
        try (PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, command.endpoint());
            statement.setString(2, command.kind().name());
            statement.setString(3, command.path());
            statement.setString(4, command.payload());
            statement.setInt(5, command.priority());
            statement.setString(6, command.coalesceKey());
            statement.setString(7, command.origin());
            statement.setInt(8, command.maxAttempts());
            statement.setObject(9, CommandRows.time(now));
            statement.setObject(10, CommandRows.time(now.plus(command.ttl())));
            statement.setObject(11, CommandRows.time(now));
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new StoreException("the database returned no id for the new command");
                }
                id = keys.getLong(1);
            }
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw new IllegalArgumentException("no device '" + command.endpoint() + "' is provisioned");
            }
            throw e;
        }
        Command created = require(connection, id);
        feed.append(event(created));
        return created;
    }

    static Command transition(FeedTransaction feed, Command command, CommandStatus status, int attempts,
            Instant notBefore, String responseCode, String response) throws SQLException {
        try (PreparedStatement statement = feed.connection().prepareStatement("UPDATE device_command SET status = ?, "
                + "attempts = ?, not_before = ?, updated_at = ?, response_code = COALESCE(?, response_code), "
                + "response = COALESCE(?, response) WHERE id = ?")) {
            statement.setString(1, status.name());
            statement.setInt(2, attempts);
            statement.setObject(3, notBefore == null ? null : CommandRows.time(notBefore));
            statement.setObject(4, CommandRows.time(feed.now()));
            statement.setString(5, responseCode);
            statement.setString(6, response);
            statement.setLong(7, command.id());
            statement.executeUpdate();
        }
        Command updated = require(feed.connection(), command.id());
        feed.append(event(updated));
        return updated;
    }

    private static ChangeEvent event(Command command) {
        StringBuilder detail = new StringBuilder("{\"id\":").append(command.id())
                .append(",\"status\":\"").append(command.status().label()).append('"')
                .append(",\"kind\":\"").append(command.kind().name().toLowerCase(Locale.ROOT)).append('"')
                .append(",\"path\":").append(JsonText.quote(command.path()))
                .append(",\"origin\":").append(JsonText.quote(command.origin()))
                .append(",\"attempts\":").append(command.attempts());
        if (command.responseCode() != null) {
            detail.append(",\"code\":").append(JsonText.quote(command.responseCode()));
        }
        detail.append('}');
        return ChangeEvent.draft(ChangeEvent.Kind.COMMAND, command.endpoint(), null, null, null, null, null, null,
                detail.toString());
    }

    private static Command require(Connection connection, long id) throws SQLException {
        return first(connection, "SELECT " + COLUMNS + " FROM device_command WHERE id = ?", id)
                .orElseThrow(() -> new CommandStateException("no command " + id));
    }

    private static Optional<Command> first(Connection connection, String sql, Object... parameters) throws SQLException {
        List<Command> found = all(connection, sql + (sql.contains(" LIMIT ") ? "" : " LIMIT 1"), parameters);
        return found.stream().findFirst();
    }

    private static List<Command> all(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                statement.setObject(i + 1, parameter instanceof Instant instant ? CommandRows.time(instant) : parameter);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<Command> commands = new ArrayList<>();
                while (rs.next()) {
                    commands.add(CommandRows.command(rs));
                }
                return commands;
            }
        }
    }
}
