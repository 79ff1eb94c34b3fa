package org.orbis.world.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.Registration;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.WorldUpdate.DeviceObjects;
import org.orbis.world.store.WorldUpdate.DeviceStateChange;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/**
 * Applies one batch of updates inside one {@link FeedTransaction}. The feed lock makes read-then-write of revisions
 * race-free, so no dialect-specific upsert is needed; batching keeps the lock's cost per notification small.
 *
 * <p>A value equal to the current one (same type and text) is not a change: it bumps no revision and adds nothing to
 * the feed; it only refreshes the device's last-seen time.
 */
final class CommitTransaction {

    private static final int IN_CHUNK = 500;

    private final FeedTransaction feed;
    private final Connection connection;
    private final Instant now;

    private final List<CommitHook> hooks;

    CommitTransaction(FeedTransaction feed, List<CommitHook> hooks) {
        this.feed = feed;
        this.hooks = hooks;
        this.connection = feed.connection();
        this.now = feed.now();
    }

    void apply(List<WorldUpdate> updates) throws SQLException {
        Map<String, DeviceState> states = ensureDevices(updates);
        Map<String, CurrentValue> current = loadCurrentValues(updates);
        ensureNodes(updates, current);

        Map<String, PendingValue> pending = new LinkedHashMap<>();
        Map<String, Instant> lastSeen = new HashMap<>();
        List<ChangeEvent> changes = new ArrayList<>();
        for (WorldUpdate update : updates) {
            if (update instanceof ReportedValue value) {
                lastSeen.merge(value.endpoint(), value.receivedAt(), (a, b) -> a.isAfter(b) ? a : b);
                applyValue(value, current, pending, changes);
            } else if (update instanceof DeviceStateChange change) {
                applyStateChange(change, states);
            } else if (update instanceof DeviceObjects objects) {
                DeviceRows.replaceObjectVersions(connection, objects.endpoint(), objects.versions());
            }
        }
        writeValues(pending.values());
        ValueHistoryRows.insert(connection, changes);
        writeLastSeen(lastSeen);
        if (!hooks.isEmpty()) {
            List<ReportedValue> reported = updates.stream().filter(ReportedValue.class::isInstance)
                    .map(ReportedValue.class::cast).toList();
            if (!reported.isEmpty()) {
                for (CommitHook hook : hooks) {
                    hook.reported(feed, reported);
                }
            }
        }
    }

    /** Loads the state of every device the batch touches and creates the rows (state NEVER) of unknown ones. */
    private Map<String, DeviceState> ensureDevices(List<WorldUpdate> updates) throws SQLException {
        Set<String> endpoints = new LinkedHashSet<>();
        updates.forEach(update -> endpoints.add(update.endpoint()));
        Map<String, DeviceState> states = new HashMap<>();
        for (List<String> chunk : chunks(endpoints)) {
            String sql = "SELECT endpoint, state FROM device WHERE endpoint IN (" + placeholders(chunk.size()) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                Rows.bind(statement, chunk);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        states.put(rs.getString(1), DeviceState.valueOf(rs.getString(2)));
                    }
                }
            }
        }
        List<String> missing = endpoints.stream().filter(endpoint -> !states.containsKey(endpoint)).toList();
        if (!missing.isEmpty()) {
            DeviceRows.insertNew(connection, missing, now);
            missing.forEach(endpoint -> states.put(endpoint, DeviceState.NEVER));
        }
        return states;
    }

    private Map<String, CurrentValue> loadCurrentValues(List<WorldUpdate> updates) throws SQLException {
        Set<String> keys = new LinkedHashSet<>();
        for (WorldUpdate update : updates) {
            if (update instanceof ReportedValue value) {
                keys.add(NodeKey.resource(value.endpoint(), value.path()).value());
            }
        }
        Map<String, CurrentValue> current = new HashMap<>();
        for (List<String> chunk : chunks(keys)) {
            String sql = "SELECT node_key, value_type, value_text, revision FROM resource_value WHERE node_key IN ("
                    + placeholders(chunk.size()) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                Rows.bind(statement, chunk);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        current.put(rs.getString(1), new CurrentValue(rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
            }
        }
        return current;
    }

    /** Creates the instance, resource and resource-instance nodes that new values hang from. */
    private void ensureNodes(List<WorldUpdate> updates, Map<String, CurrentValue> current) throws SQLException {
        Map<String, NodeRow> wanted = new LinkedHashMap<>();
        for (WorldUpdate update : updates) {
            if (update instanceof ReportedValue value
                    && !current.containsKey(NodeKey.resource(value.endpoint(), value.path()).value())) {
                NodeRow.lineage(value.endpoint(), value.path()).forEach(row -> wanted.putIfAbsent(row.key(), row));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        for (List<String> chunk : chunks(wanted.keySet())) {
            String sql = "SELECT node_key FROM node WHERE node_key IN (" + placeholders(chunk.size()) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                Rows.bind(statement, chunk);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        wanted.remove(rs.getString(1));
                    }
                }
            }
        }
        NodeRow.insert(connection, wanted.values(), now);
    }

    private void applyValue(ReportedValue value, Map<String, CurrentValue> current, Map<String, PendingValue> pending,
            List<ChangeEvent> changes) {
        String key = NodeKey.resource(value.endpoint(), value.path()).value();
        CurrentValue before = current.get(key);
        TypedValue typed = value.value();
        if (before != null && before.type().equals(typed.type().name()) && before.text().equals(typed.text())) {
            return;
        }
        long revision = before == null ? 1 : before.revision() + 1;
        ChangeEvent event = feed.append(ChangeEvent.draft(ChangeEvent.Kind.VALUE, value.endpoint(), value.path(), typed,
                revision, value.deviceTime(), value.receivedAt(), null, null));
        changes.add(event);
        long seq = event.sequence();
        current.put(key, new CurrentValue(typed.type().name(), typed.text(), revision));
        PendingValue earlier = pending.get(key);
        boolean insert = earlier != null ? earlier.insert() : before == null;
        pending.put(key, new PendingValue(key, insert, value, revision, seq));
    }

    private void applyStateChange(DeviceStateChange change, Map<String, DeviceState> states) throws SQLException {
        DeviceState before = states.get(change.endpoint());
        Registration registration = change.registration();
        DeviceRows.updateState(connection, change.endpoint(), change.state(), registration, change.at());
        states.put(change.endpoint(), change.state());
        if (before == change.state()) {
            return;
        }
        long revision = DeviceRows.bumpRevision(connection, change.endpoint(), now);
        feed.append(ChangeEvent.draft(ChangeEvent.Kind.DEVICE, change.endpoint(), null, null, revision, null, null,
                change.state(), null));
    }

    private void writeValues(Collection<PendingValue> values) throws SQLException {
        String insert = "INSERT INTO resource_value (node_key, " + Rows.VALUE_COLUMNS
                + ", value_num) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String update = "UPDATE resource_value SET value_type = ?, value_text = ?, value_num = ?, device_time = ?, "
                + "server_time = ?, revision = ?, seq = ? WHERE node_key = ?";
        try (PreparedStatement inserts = connection.prepareStatement(insert);
                PreparedStatement updates = connection.prepareStatement(update)) {
            int insertCount = 0;
            int updateCount = 0;
            for (PendingValue pending : values) {
                ReportedValue value = pending.value();
                TypedValue typed = value.value();
                Double numeric = typed.numeric();
                if (pending.insert()) {
                    ResourcePath path = value.path();
                    inserts.setString(1, pending.key());
                    inserts.setString(2, value.endpoint());
                    inserts.setInt(3, path.objectId());
                    inserts.setInt(4, path.instanceId());
                    inserts.setInt(5, path.resourceId());
                    Rows.setNullableInt(inserts, 6, path.resourceInstanceId());
                    inserts.setString(7, typed.type().name());
                    inserts.setString(8, typed.text());
                    Rows.setInstant(inserts, 9, value.deviceTime());
                    Rows.setInstant(inserts, 10, value.receivedAt());
                    inserts.setLong(11, pending.revision());
                    inserts.setLong(12, pending.sequence());
                    Rows.setNullableDouble(inserts, 13, numeric);
                    inserts.addBatch();
                    insertCount++;
                } else {
                    updates.setString(1, typed.type().name());
                    updates.setString(2, typed.text());
                    Rows.setNullableDouble(updates, 3, numeric);
                    Rows.setInstant(updates, 4, value.deviceTime());
                    Rows.setInstant(updates, 5, value.receivedAt());
                    updates.setLong(6, pending.revision());
                    updates.setLong(7, pending.sequence());
                    updates.setString(8, pending.key());
                    updates.addBatch();
                    updateCount++;
                }
            }
            if (insertCount > 0) {
                inserts.executeBatch();
            }
            if (updateCount > 0) {
                updates.executeBatch();
            }
        }
    }

    private void writeLastSeen(Map<String, Instant> lastSeen) throws SQLException {
        if (lastSeen.isEmpty()) {
            return;
        }
        String sql = "UPDATE device SET last_seen = ? WHERE endpoint = ? AND (last_seen IS NULL OR last_seen < ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Map.Entry<String, Instant> entry : lastSeen.entrySet()) {
                Rows.setInstant(statement, 1, entry.getValue());
                statement.setString(2, entry.getKey());
                Rows.setInstant(statement, 3, entry.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    static List<List<String>> chunks(Collection<String> values) {
        List<String> all = new ArrayList<>(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int start = 0; start < all.size(); start += IN_CHUNK) {
            chunks.add(all.subList(start, Math.min(all.size(), start + IN_CHUNK)));
        }
        return chunks;
    }

    private record CurrentValue(String type, String text, long revision) {
    }

    private record PendingValue(String key, boolean insert, ReportedValue value, long revision, long sequence) {
    }
}
