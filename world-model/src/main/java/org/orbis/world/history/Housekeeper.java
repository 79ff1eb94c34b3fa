package org.orbis.world.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.orbis.world.store.Database;
import org.orbis.world.store.WorldStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link Retention} on the named thread {@code orbis-housekeeper}: removes the oldest history rows and the
 * oldest change-feed prefix (with the views' membership log up to the same sequence), in chunks of
 * {@value #CHUNK} sequences per transaction so that no lock is held for long. Committing writers never wait on it:
 * it does not take the feed lock. The feed is only ever cut as a prefix, and {@code feed_horizon.pruned_through}
 * moves in the same transaction, so readers can tell "gone" from "nothing new".
 */
public final class Housekeeper implements AutoCloseable {

    static final int CHUNK = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);

    private final Database database;
    private final Clock clock;
    private final Retention retention;
    private ScheduledExecutorService executor;

    public Housekeeper(WorldStore world, Retention retention) {
        this.database = world.database();
        this.clock = world.clock();
        this.retention = retention;
    }

    /** What one run removed. */
    public record Pruned(long historyRows, long feedRows, long feedPrunedThrough) {
    }

    public synchronized Housekeeper start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orbis-housekeeper");
            thread.setDaemon(true);
            return thread;
        });
        long period = retention.interval().toMillis();
        executor.scheduleWithFixedDelay(this::runQuietly, Math.min(period, 60_000), period, TimeUnit.MILLISECONDS);
        LOG.info("retention: history {}, change feed {}, checked every {}", retention.history(), retention.feed(),
                retention.interval());
        return this;
    }

    /** Prunes now, on the calling thread. */
    public Pruned runOnce() {
        Instant now = clock.instant();
        long history = prunePrefix("value_history", "server_time", now.minus(retention.history()), false);
        long before = horizon();
        long feed = prunePrefix("change_feed", "committed_at", now.minus(retention.feed()), true);
        long after = horizon();
        if (after > before) {
            database.inTransaction(connection -> update(connection, "DELETE FROM view_change WHERE seq <= ?", after));
        }
        if (history > 0 || feed > 0) {
            LOG.info("retention removed {} history values and {} feed changes (feed now starts after {})", history, feed,
                    after);
        }
        return new Pruned(history, feed, after);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("retention run failed, will retry: {}", e.getMessage());
        }
    }

    /** Deletes, chunk by chunk from the lowest seq, the rows older than the cutoff up to the first newer one. */
    private long prunePrefix(String table, String timeColumn, Instant cutoff, boolean feed) {
        long removed = 0;
        while (true) {
            long[] result = database.inTransaction(connection -> pruneChunk(connection, table, timeColumn, cutoff, feed));
            removed += result[0];
            if (result[1] == 0) {
                return removed;
            }
        }
    }

    /** @return {rows removed, 1 if there may be more to remove} */
    private static long[] pruneChunk(Connection connection, String table, String timeColumn, Instant cutoff, boolean feed)
            throws SQLException {
        long lowest = single(connection, "SELECT MIN(seq) FROM " + table);
        if (lowest == 0) {
            return new long[] {0, 0};
        }
        long limit = lowest + CHUNK;
        long firstNewer = single(connection, "SELECT MIN(seq) FROM " + table + " WHERE seq >= ? AND seq < ? AND "
                + timeColumn + " >= ?", lowest, limit, cutoff);
        long end = firstNewer == 0 ? limit : firstNewer;
        long highestInRange = single(connection, "SELECT MAX(seq) FROM " + table + " WHERE seq >= ? AND seq < ?",
                lowest, end);
        if (highestInRange == 0) {
            return new long[] {0, 0};
        }
        long removed = update(connection, "DELETE FROM " + table + " WHERE seq >= ? AND seq < ?", lowest, end);
        if (feed) {
            update(connection, "UPDATE feed_horizon SET pruned_through = ? WHERE id = 1 AND pruned_through < ?",
                    highestInRange, highestInRange);
        }
        return new long[] {removed, firstNewer == 0 ? 1 : 0};
    }

    private long horizon() {
        return database.read(connection -> single(connection, "SELECT pruned_through FROM feed_horizon WHERE id = 1"));
    }

    private static long single(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static long update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
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
