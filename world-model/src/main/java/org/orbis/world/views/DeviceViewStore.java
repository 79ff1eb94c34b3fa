package org.orbis.world.views;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.Database;
import org.orbis.world.store.WorldStore;

/**
 * Which views devices are given and how far each device's copy is delivered. Storage only: the DM server decides
 * when a copy is behind and delivers it through the device's command queue. Thread-safe.
 */
public final class DeviceViewStore {

    /** World View instances a device can hold. */
    public static final int MAX_VIEWS_PER_DEVICE = 16;
    private static final String COLUMNS = "endpoint, view_name, instance_id, min_interval_ms, pending_seq, delivered_seq, "
            + "last_queued_at, owned_view";

    private final Database database;
    private final Clock clock;

    public DeviceViewStore(WorldStore world) {
        this.database = world.database();
        this.clock = world.clock();
    }

    /**
     * Gives the view to the device (or changes its minimum interval), in the lowest free World View instance. The
     * assignment is pending at {@code sequence} (the change feed's head) and not delivered, so a copy with the view's
     * content of the moment goes out at the next delivery round; any change after {@code sequence} sends another.
     */
    public DeviceView assign(String endpoint, String viewName, Duration minInterval, boolean ownedView, long sequence) {
        NodeKey.requireValidEndpoint(endpoint);
        ViewDefinition.requireValidName(viewName);
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("the minimum interval cannot be negative");
        }
        return database.inTransaction(connection -> {
            Optional<DeviceView> existing = find(connection, endpoint, viewName);
            if (existing.isPresent()) {
                execute(connection, "UPDATE device_view SET min_interval_ms = ?, pending_seq = ?, delivered_seq = -1 "
                        + "WHERE endpoint = ? AND view_name = ?", minInterval.toMillis(),
                        Math.max(sequence, existing.get().pendingSequence()), endpoint, viewName);
            } else {
                Set<Integer> used = new LinkedHashSet<>();
                for (DeviceView view : query(connection, "WHERE endpoint = ?", endpoint)) {
                    used.add(view.instanceId());
                }
                if (used.size() >= MAX_VIEWS_PER_DEVICE) {
                    throw new IllegalArgumentException("device '" + endpoint + "' already holds " + MAX_VIEWS_PER_DEVICE
                            + " views; take one away first");
                }
                int instance = 0;
                while (used.contains(instance)) {
                    instance++;
                }
                execute(connection, "INSERT INTO device_view (" + COLUMNS + ", created_at) VALUES (?, ?, ?, ?, ?, -1, NULL, ?, ?)",
                        endpoint, viewName, instance, minInterval.toMillis(), sequence, ownedView,
                        OffsetDateTime.now(clock));
            }
            return find(connection, endpoint, viewName).orElseThrow();
        });
    }

    public Optional<DeviceView> remove(String endpoint, String viewName) {
        return database.inTransaction(connection -> {
            Optional<DeviceView> existing = find(connection, endpoint, viewName);
            if (existing.isPresent()) {
                execute(connection, "DELETE FROM device_view WHERE endpoint = ? AND view_name = ?", endpoint, viewName);
            }
            return existing;
        });
    }

    public List<DeviceView> forDevice(String endpoint) {
        return database.read(connection -> query(connection, "WHERE endpoint = ? ORDER BY instance_id", endpoint));
    }

    public List<DeviceView> all() {
        return database.read(connection -> query(connection, "ORDER BY view_name, endpoint"));
    }

    /** The names of the views at least one device is given. */
    public Set<String> subscribedViews() {
        return database.read(connection -> {
            Set<String> names = new LinkedHashSet<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT view_name FROM device_view");
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    /** Marks every device copy of these views as behind, up to {@code sequence}. */
    public void markPending(Set<String> viewNames, long sequence) {
        if (viewNames.isEmpty()) {
            return;
        }
        database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE device_view SET pending_seq = ? WHERE view_name = ? AND pending_seq < ?")) {
                for (String name : viewNames) {
                    statement.setLong(1, sequence);
                    statement.setString(2, name);
                    statement.setLong(3, sequence);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /** Marks every assignment behind (after a restart: each device gets one fresh copy). */
    public void markAllPending(long sequence) {
        database.inTransaction(connection -> {
            execute(connection, "UPDATE device_view SET pending_seq = ? WHERE pending_seq < ?", sequence, sequence);
            return null;
        });
    }

    /** Copies that are behind and whose minimum interval has passed. */
    public List<DeviceView> due() {
        Instant now = clock.instant();
        return database.read(connection -> query(connection, "WHERE pending_seq > delivered_seq ORDER BY view_name"))
                .stream()
                .filter(view -> view.lastSentAt() == null || !view.lastSentAt().plus(view.minInterval()).isAfter(now))
                .toList();
    }

    /**
     * Records, in one transaction, that the devices acknowledged these copies (each at its pending sequence, sent at
     * the matching {@code sentAt}); an older copy never moves a device's delivery back.
     */
    public void markDelivered(List<DeviceView> copies, List<Instant> sentAt) {
        if (copies.isEmpty()) {
            return;
        }
        database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE device_view SET delivered_seq = ?, "
                    + "last_queued_at = ? WHERE endpoint = ? AND view_name = ? AND delivered_seq < ?")) {
                for (int i = 0; i < copies.size(); i++) {
                    DeviceView copy = copies.get(i);
                    statement.setLong(1, copy.pendingSequence());
                    statement.setObject(2, OffsetDateTime.ofInstant(sentAt.get(i), ZoneOffset.UTC));
                    statement.setString(3, copy.endpoint());
                    statement.setString(4, copy.viewName());
                    statement.setLong(5, copy.pendingSequence());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /**
     * Marks every copy of these devices as not delivered, so that each goes out again at the next round (minimum
     * intervals still apply): devices that registered afresh may have lost what they held.
     */
    public void markDevicesUndelivered(Collection<String> endpoints) {
        markUndeliveredWhere("endpoint", endpoints);
    }

    /** Marks every device's copy of these views as not delivered (the view was evaluated afresh). */
    public void markViewsUndelivered(Collection<String> viewNames) {
        markUndeliveredWhere("view_name", viewNames);
    }

    private void markUndeliveredWhere(String column, Collection<String> values) {
        if (values.isEmpty()) {
            return;
        }
        database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE device_view SET delivered_seq = -1 WHERE " + column + " = ?")) {
                for (String value : values) {
                    statement.setString(1, value);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /** Marks the copy in one World View instance of a device as not delivered (its Write never reached the device). */
    public void markUndelivered(String endpoint, int instanceId) {
        database.inTransaction(connection -> {
            execute(connection, "UPDATE device_view SET delivered_seq = -1 WHERE endpoint = ? AND instance_id = ?",
                    endpoint, instanceId);
            return null;
        });
    }

    private static Optional<DeviceView> find(Connection connection, String endpoint, String viewName) throws SQLException {
        return query(connection, "WHERE endpoint = ? AND view_name = ?", endpoint, viewName).stream().findFirst();
    }

    private static List<DeviceView> query(Connection connection, String where, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM device_view " + where)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                List<DeviceView> views = new ArrayList<>();
                while (rs.next()) {
                    OffsetDateTime queued = rs.getObject("last_queued_at", OffsetDateTime.class);
                    views.add(new DeviceView(rs.getString("endpoint"), rs.getString("view_name"), rs.getInt("instance_id"),
                            Duration.ofMillis(rs.getLong("min_interval_ms")), rs.getLong("pending_seq"),
                            rs.getLong("delivered_seq"), queued == null ? null : queued.toInstant(),
                            rs.getBoolean("owned_view")));
                }
                return views;
            }
        }
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            statement.setObject(i + 1, parameter instanceof Instant instant
                    ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : parameter);
        }
    }
}
