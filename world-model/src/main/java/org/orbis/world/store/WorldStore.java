package org.orbis.world.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.ResourceValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The world model's storage: commits batches of updates (see {@link CommitTransaction} for the guarantees) and answers
 * reads of devices and their current values. Thread-safe. Callers that must not wait on the database submit updates
 * through a {@link WorldWriter} instead of calling {@link #commit} themselves.
 */
public final class WorldStore {

    private static final Logger LOG = LoggerFactory.getLogger(WorldStore.class);

    private final Database database;
    private final Clock clock;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final List<CommitHook> hooks = new CopyOnWriteArrayList<>();

    public WorldStore(Database database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Database database() {
        return database;
    }

    public Clock clock() {
        return clock;
    }

    public void addCommitListener(CommitListener listener) {
        listeners.add(listener);
    }

    public void removeCommitListener(CommitListener listener) {
        listeners.remove(listener);
    }

    /** Adds a hook that runs inside every commit of reported values (see {@link CommitHook}). */
    public void addCommitHook(CommitHook hook) {
        hooks.add(hook);
    }

    /** Applies all updates in one transaction and returns the changes it committed, in sequence order. */
    public List<ChangeEvent> commit(List<? extends WorldUpdate> updates) {
        if (updates.isEmpty()) {
            return List.of();
        }
        List<WorldUpdate> batch = List.copyOf(updates);
        return inFeedTransaction(feed -> {
            new CommitTransaction(feed, hooks).apply(batch);
            return feed.events();
        });
    }

    /**
     * Runs {@code work} in one transaction that may append to the change feed (see {@link FeedTransaction}); after the
     * commit, listeners hear about the changes it appended.
     */
    public <T> T inFeedTransaction(FeedWork<T> work) {
        FeedTransaction[] done = new FeedTransaction[1];
        T result = database.inTransaction(connection -> {
            FeedTransaction feed = new FeedTransaction(connection, WorldUpdate.storable(clock.instant()));
            feed.lock();
            T value = work.run(feed);
            feed.finish();
            done[0] = feed;
            return value;
        });
        List<ChangeEvent> events = done[0].events();
        if (!events.isEmpty()) {
            List<ChangeEvent> committed = List.copyOf(events);
            for (CommitListener listener : listeners) {
                try {
                    listener.committed(committed);
                } catch (RuntimeException e) {
                    LOG.error("commit listener {} failed; the commit itself stands", listener, e);
                }
            }
        }
        return result;
    }

    /** Work done inside a {@link FeedTransaction}. */
    @FunctionalInterface
    public interface FeedWork<T> {
        T run(FeedTransaction feed) throws java.sql.SQLException;
    }

    public Optional<Device> device(String endpoint) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + Rows.DEVICE_COLUMNS + " FROM device WHERE endpoint = ?")) {
                statement.setString(1, endpoint);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.device(rs)) : Optional.empty();
                }
            }
        });
    }

    public DevicePage devices(DeviceQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<String> parameters = new ArrayList<>();
        if (query.state() != null) {
            where.append(" AND state = ?");
            parameters.add(query.state().name());
        }
        if (query.search() != null) {
            where.append(" AND LOWER(endpoint) LIKE ? ESCAPE '!'");
            parameters.add("%" + escapeLike(query.search().toLowerCase(Locale.ROOT)) + "%");
        }
        return database.read(connection -> {
            long total;
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM device" + where)) {
                Rows.bind(statement, parameters);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Device> devices = new ArrayList<>();
            String sql = "SELECT " + Rows.DEVICE_COLUMNS + " FROM device" + where
                    + " ORDER BY endpoint LIMIT " + query.limit() + " OFFSET " + query.offset();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                Rows.bind(statement, parameters);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        devices.add(Rows.device(rs));
                    }
                }
            }
            return new DevicePage(devices, total, query.offset(), query.limit());
        });
    }

    public Map<DeviceState, Long> countByState() {
        return database.read(connection -> {
            Map<DeviceState, Long> counts = new EnumMap<>(DeviceState.class);
            for (DeviceState state : DeviceState.values()) {
                counts.put(state, 0L);
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT state, COUNT(*) FROM device GROUP BY state");
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    counts.put(DeviceState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    /** Every current value of a device, ordered by path. */
    public List<ResourceValue> values(String endpoint) {
        return database.read(connection -> {
            String sql = "SELECT " + Rows.VALUE_COLUMNS + " FROM resource_value WHERE endpoint = ? "
                    + "ORDER BY object_id, instance_id, resource_id, resource_instance_id";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, endpoint);
                try (ResultSet rs = statement.executeQuery()) {
                    List<ResourceValue> values = new ArrayList<>();
                    while (rs.next()) {
                        values.add(Rows.resourceValue(rs));
                    }
                    return values;
                }
            }
        });
    }

    public Optional<ResourceValue> value(String endpoint, ResourcePath path) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + Rows.VALUE_COLUMNS + " FROM resource_value WHERE node_key = ?")) {
                statement.setString(1, NodeKey.resource(endpoint, path).value());
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.resourceValue(rs)) : Optional.empty();
                }
            }
        });
    }

    private static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
