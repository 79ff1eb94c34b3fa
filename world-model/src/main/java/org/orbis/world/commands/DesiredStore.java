package org.orbis.world.commands;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.graph.ValueType;
import org.orbis.world.store.CommitHook;
import org.orbis.world.store.FeedTransaction;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/**
 * Desired values: the operator's intent for writable resources, kept beside the reported values. Setting one queues
 * the write that delivers it (a newer desired value supersedes the older write still queued); a desired value is in
 * sync once the device reports it, which this store notices inside the commit of the reported value. Thread-safe.
 */
public final class DesiredStore implements CommitHook {

    private static final String COLUMNS = "endpoint, object_id, instance_id, resource_id, value_type, value_text, "
            + "revision, in_sync, set_at, synced_at, command_id";

    private final WorldStore world;

    /** Creates the store and hooks it into the world store's commits (for in-sync detection). */
    public DesiredStore(WorldStore world) {
        this.world = world;
        world.addCommitHook(this);
    }

    /** The coalesce key of the writes that deliver desired values of this resource. */
    public static String coalesceKey(String endpoint, ResourcePath path) {
        return "desired:" + NodeKey.resource(endpoint, path).value();
    }

    /**
     * Records the desired value and, unless the device already reports it, queues {@code write} to deliver it, all in
     * one transaction.
     */
    public DesiredValue set(String endpoint, ResourcePath path, TypedValue value, NewCommand write) {
        String key = NodeKey.resource(endpoint, path).value();
        return world.inFeedTransaction(feed -> {
            Connection connection = feed.connection();
            boolean inSync = value.equals(reported(connection, key));
            long revision = current(connection, key).map(desired -> desired.revision() + 1).orElse(1L);
            Long commandId = null;
            if (inSync) {
                CommandStore.supersede(feed, endpoint, coalesceKey(endpoint, path));
            } else {
                commandId = CommandStore.insert(feed, write).id();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM desired_value WHERE node_key = ?")) {
                delete.setString(1, key);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO desired_value (node_key, " + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, endpoint);
                insert.setInt(3, path.objectId());
                insert.setInt(4, path.instanceId());
                insert.setInt(5, path.resourceId());
                insert.setString(6, value.type().name());
                insert.setString(7, value.text());
                insert.setLong(8, revision);
                insert.setBoolean(9, inSync);
                insert.setObject(10, CommandRows.time(feed.now()));
                insert.setObject(11, inSync ? CommandRows.time(feed.now()) : null);
                insert.setObject(12, commandId);
                insert.executeUpdate();
            }
            DesiredValue desired = new DesiredValue(endpoint, path, value, revision, inSync, feed.now(),
                    inSync ? feed.now() : null, commandId);
            feed.append(event(desired, commandId == null ? "" : ",\"commandId\":" + commandId));
            return desired;
        });
    }

    /** Forgets the desired value and cancels its queued write; returns whether there was one. */
    public boolean clear(String endpoint, ResourcePath path) {
        String key = NodeKey.resource(endpoint, path).value();
        return world.inFeedTransaction(feed -> {
            Optional<DesiredValue> desired = current(feed.connection(), key);
            if (desired.isEmpty()) {
                return false;
            }
            CommandStore.supersede(feed, endpoint, coalesceKey(endpoint, path));
            try (PreparedStatement delete = feed.connection().prepareStatement("DELETE FROM desired_value WHERE node_key = ?")) {
                delete.setString(1, key);
                delete.executeUpdate();
            }
            feed.append(ChangeEvent.draft(ChangeEvent.Kind.DESIRED, endpoint, path, null, desired.get().revision(), null,
                    null, null, "{\"cleared\":true}"));
            return true;
        });
    }

    public List<DesiredValue> forDevice(String endpoint) {
        return world.database().read(connection -> query(connection, "SELECT " + COLUMNS + " FROM desired_value "
                + "WHERE endpoint = ? ORDER BY object_id, instance_id, resource_id", endpoint));
    }

    /** Desired values the devices have not reported yet, across the fleet, by endpoint and path. */
    public DesiredPage outOfSync(int offset, int limit) {
        return world.database().read(connection -> {
            long total;
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM desired_value WHERE in_sync = FALSE");
                    ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<DesiredValue> values = query(connection, "SELECT " + COLUMNS + " FROM desired_value WHERE in_sync = FALSE "
                    + "ORDER BY endpoint, object_id, instance_id, resource_id LIMIT " + limit + " OFFSET " + offset);
            return new DesiredPage(values, total, offset, limit);
        });
    }

    /** Marks desired values in (or out of) sync with what the batch reported. */
    @Override
    public void reported(FeedTransaction feed, List<ReportedValue> values) throws SQLException {
        Map<String, ReportedValue> latest = new LinkedHashMap<>();
        for (ReportedValue value : values) {
            latest.put(NodeKey.resource(value.endpoint(), value.path()).value(), value);
        }
        Map<String, DesiredValue> desired = new HashMap<>();
        List<String> keys = new ArrayList<>(latest.keySet());
        for (int start = 0; start < keys.size(); start += 500) {
            List<String> chunk = keys.subList(start, Math.min(keys.size(), start + 500));
            String sql = "SELECT node_key, " + COLUMNS + " FROM desired_value WHERE node_key IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement statement = feed.connection().prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        desired.put(rs.getString("node_key"), desired(rs));
                    }
                }
            }
        }
        for (Map.Entry<String, DesiredValue> entry : desired.entrySet()) {
            DesiredValue wanted = entry.getValue();
            boolean matches = wanted.value().equals(latest.get(entry.getKey()).value());
            if (matches != wanted.inSync()) {
                try (PreparedStatement update = feed.connection().prepareStatement(
                        "UPDATE desired_value SET in_sync = ?, synced_at = ? WHERE node_key = ?")) {
                    update.setBoolean(1, matches);
                    update.setObject(2, matches ? CommandRows.time(feed.now()) : null);
                    update.setString(3, entry.getKey());
                    update.executeUpdate();
                }
                DesiredValue now = new DesiredValue(wanted.endpoint(), wanted.path(), wanted.value(), wanted.revision(),
                        matches, wanted.setAt(), matches ? feed.now() : null, wanted.commandId());
                feed.append(event(now, matches ? "" : ",\"detail\":\"the device reports a different value\""));
            }
        }
    }

    private static ChangeEvent event(DesiredValue desired, String extra) {
        return ChangeEvent.draft(ChangeEvent.Kind.DESIRED, desired.endpoint(), desired.path(), desired.value(),
                desired.revision(), null, null, null, "{\"inSync\":" + desired.inSync() + extra + "}");
    }

    private static TypedValue reported(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT value_type, value_text FROM resource_value WHERE node_key = ?")) {
            statement.setString(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? new TypedValue(ValueType.valueOf(rs.getString(1)), rs.getString(2)) : null;
            }
        }
    }

    private static Optional<DesiredValue> current(Connection connection, String key) throws SQLException {
        return query(connection, "SELECT " + COLUMNS + " FROM desired_value WHERE node_key = ?", key).stream().findFirst();
    }

    private static List<DesiredValue> query(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<DesiredValue> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(desired(rs));
                }
                return values;
            }
        }
    }

    private static DesiredValue desired(ResultSet rs) throws SQLException {
        long commandId = rs.getLong("command_id");
        Long command = rs.wasNull() ? null : commandId;
        return new DesiredValue(rs.getString("endpoint"),
                ResourcePath.of(rs.getInt("object_id"), rs.getInt("instance_id"), rs.getInt("resource_id")),
                new TypedValue(ValueType.valueOf(rs.getString("value_type")), rs.getString("value_text")),
                rs.getLong("revision"), rs.getBoolean("in_sync"), CommandRows.instant(rs, "set_at"),
                CommandRows.instant(rs, "synced_at"), command);
    }
}
