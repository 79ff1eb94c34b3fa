package org.orbis.world.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.graph.ValueType;
import org.orbis.world.store.Database;
import org.orbis.world.store.Rows;
import org.orbis.world.store.WorldStore;

/** Reads a resource's history over a time range {@code [from, to)}, raw or downsampled. Thread-safe. */
public final class HistoryStore {

    public static final int MAX_POINTS = 10_000;
    public static final int MAX_BUCKETS = 2_000;

    private final Database database;

    public HistoryStore(WorldStore world) {
        this.database = world.database();
    }

    /** The values in {@code [from, to)}, oldest first, at most {@code limit} (the first ones). */
    public List<HistoryPoint> points(NodeKey resource, Instant from, Instant to, int limit) {
        requireRange(from, to);
        if (limit < 1 || limit > MAX_POINTS) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_POINTS + ", was " + limit);
        }
        return database.read(connection -> {
            String sql = "SELECT at_ms, value_type, value_text, seq, server_time FROM value_history "
                    + "WHERE node_key = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms, seq LIMIT " + limit;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, resource.value());
                statement.setLong(2, from.toEpochMilli());
                statement.setLong(3, to.toEpochMilli());
                try (ResultSet rs = statement.executeQuery()) {
                    List<HistoryPoint> points = new ArrayList<>();
                    while (rs.next()) {
                        points.add(new HistoryPoint(Instant.ofEpochMilli(rs.getLong(1)),
                                new TypedValue(ValueType.valueOf(rs.getString(2)), rs.getString(3)), rs.getLong(4),
                                Rows.getInstant(rs, "server_time")));
                    }
                    return points;
                }
            }
        });
    }

    /**
     * The numeric values in {@code [from, to)} downsampled into {@code buckets} equal buckets: min, max and average
     * per bucket, computed by the database. Non-numeric values are left out; empty buckets are not returned.
     */
    public List<HistoryBucket> buckets(NodeKey resource, Instant from, Instant to, int buckets) {
        requireRange(from, to);
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("buckets must be between 1 and " + MAX_BUCKETS + ", was " + buckets);
        }
        long start = from.toEpochMilli();
        long span = to.toEpochMilli() - start;
        long width = Math.max(1, (span + buckets - 1) / buckets);
        return database.read(connection -> {
            // Integer division of non-negative BIGINTs floors the same way on H2 and PostgreSQL.
            String sql = "SELECT b, COUNT(*), MIN(v), MAX(v), AVG(v) FROM (SELECT (at_ms - ?) / ? AS b, value_num AS v "
                    + "FROM value_history WHERE node_key = ? AND at_ms >= ? AND at_ms < ? AND value_num IS NOT NULL) t "
                    + "GROUP BY b ORDER BY b";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, start);
                statement.setLong(2, width);
                statement.setString(3, resource.value());
                statement.setLong(4, start);
                statement.setLong(5, to.toEpochMilli());
                try (ResultSet rs = statement.executeQuery()) {
                    List<HistoryBucket> result = new ArrayList<>();
                    while (rs.next()) {
                        long index = rs.getLong(1);
                        Instant bucketStart = Instant.ofEpochMilli(start + index * width);
                        Instant bucketEnd = Instant.ofEpochMilli(Math.min(start + (index + 1) * width, to.toEpochMilli()));
                        result.add(new HistoryBucket(bucketStart, bucketEnd, rs.getLong(2), rs.getDouble(3),
                                rs.getDouble(4), rs.getDouble(5)));
                    }
                    return result;
                }
            }
        });
    }

    /** The width of each of {@code buckets} buckets over the range, as {@link #buckets} computes it. */
    public static Duration bucketWidth(Instant from, Instant to, int buckets) {
        long span = to.toEpochMilli() - from.toEpochMilli();
        return Duration.ofMillis(Math.max(1, (span + buckets - 1) / buckets));
    }

    private static void requireRange(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("the time range needs from before to, was [" + from + ", " + to + ")");
        }
    }
}
