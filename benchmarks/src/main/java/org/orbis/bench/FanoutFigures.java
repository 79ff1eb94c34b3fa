package org.orbis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.orbis.server.operations.OperationResult;
import org.orbis.server.views.DeviceViewDelivery;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.store.CommitListener;
import org.orbis.world.store.Database;

/**
 * The figures of {@code bench/run view-fanout}, from what the platform itself recorded: the change feed (when each
 * change committed), the view delivery's answers (when each copy was sent and acknowledged, and which sequence it
 * reflects) and, for the baseline, the durable command queue (when each write was queued and acknowledged).
 */
final class FanoutFigures {

    /** World View resource 6: the feed sequence the copy reflects. */
    private static final String REFLECTS = "6";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FanoutFigures() {
    }

    /** A committed temperature change (a VALUE event of {@code /3303/x/5700}). */
    record Change(long sequence, Instant committedAt, String endpoint) {
    }

    /**
     * A command that succeeded: queued at {@code queuedAt}, acknowledged by the device at {@code ackedAt} (its
     * {@code updatedAt} when it became succeeded); {@code reflects} is the feed sequence a view copy reflects, -1 for
     * other commands.
     */
    record Delivery(String endpoint, Instant queuedAt, Instant ackedAt, long reflects) {
    }

    /** Notes temperature changes and succeeded baseline writes as they commit, and every view copy answered. */
    static final class Recorder implements CommitListener, DeviceViewDelivery.DeliveryListener {
        final Queue<Change> changes = new ConcurrentLinkedQueue<>();
        final Queue<DeviceViewDelivery.Delivery> copies = new ConcurrentLinkedQueue<>();
        final AtomicLong viewAcks = new AtomicLong();
        final AtomicLong benchAcks = new AtomicLong();

        @Override
        public void answered(DeviceViewDelivery.Delivery delivery) {
            copies.add(delivery);
            if (delivery.outcome() == OperationResult.Outcome.SUCCESS) {
                viewAcks.incrementAndGet();
            }
        }

        /** Copies acknowledged since {@code since}, oldest acknowledgement first; "queued" is when it was sent. */
        List<Delivery> copiesAcknowledged(Instant since) {
            return copies.stream().filter(copy -> copy.outcome() == OperationResult.Outcome.SUCCESS
                    && !copy.answeredAt().isBefore(since))
                    .map(copy -> new Delivery(copy.endpoint(), copy.sentAt(), copy.answeredAt(), copy.sequence()))
                    .sorted(Comparator.comparing(Delivery::ackedAt)).toList();
        }

        /** How the copies sent since {@code since} were answered: outcome[/code] → count. */
        Map<String, Long> copyOutcomes(Instant since) {
            Map<String, Long> outcomes = new java.util.TreeMap<>();
            copies.stream().filter(copy -> !copy.sentAt().isBefore(since)).forEach(copy -> outcomes.merge(
                    copy.outcome() == OperationResult.Outcome.SUCCESS ? "succeeded"
                            : copy.outcome().name().toLowerCase(java.util.Locale.ROOT) + "/" + copy.code(), 1L, Long::sum));
            return outcomes;
        }

        @Override
        public void committed(List<ChangeEvent> events) {
            for (ChangeEvent event : events) {
                if (event.kind() == ChangeEvent.Kind.VALUE && event.path() != null && event.path().objectId() == 3303
                        && event.path().resourceId() == 5700) {
                    changes.add(new Change(event.sequence(), event.committedAt(), event.endpoint()));
                } else if (event.kind() == ChangeEvent.Kind.COMMAND && event.detail() != null
                        && event.detail().contains("\"status\":\"succeeded\"")
                        && event.detail().contains("\"origin\":\"bench\"")) {
                    benchAcks.incrementAndGet();
                }
            }
        }

        List<Change> changesAfter(long sequence) {
            return changes.stream().filter(change -> change.sequence() > sequence)
                    .sorted(Comparator.comparingLong(Change::sequence)).toList();
        }
    }

    /** Commands of {@code origin} that succeeded since {@code since}, oldest acknowledgement first. */
    static List<Delivery> succeeded(Database database, String origin, Instant since) {
        return database.read(connection -> {
            List<Delivery> deliveries = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT endpoint, payload, created_at, "
                    + "updated_at FROM device_command WHERE origin = ? AND status = 'SUCCEEDED' AND updated_at >= ? "
                    + "ORDER BY updated_at")) {
                statement.setString(1, origin);
                statement.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        deliveries.add(new Delivery(rs.getString(1), instant(rs, 3), instant(rs, 4), reflects(rs.getString(2))));
                    }
                }
            }
            return deliveries;
        });
    }

    /** How the commands of {@code origin} queued since {@code since} ended up: {@code status[/code]} → count. */
    static Map<String, Long> outcomes(Database database, String origin, Instant since) {
        return database.read(connection -> {
            Map<String, Long> outcomes = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT status, response_code, COUNT(*) "
                    + "FROM device_command WHERE origin = ? AND created_at >= ? GROUP BY status, response_code "
                    + "ORDER BY status, response_code")) {
                statement.setString(1, origin);
                statement.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String status = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
                        String code = rs.getString(2);
                        outcomes.put(code == null || status.equals("succeeded") ? status : status + "/" + code, rs.getLong(3));
                    }
                }
            }
            return outcomes;
        });
    }

    /** Commands of {@code origin} still queued or in flight. */
    static long open(Database database, String origin) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM device_command "
                    + "WHERE origin = ? AND status IN ('QUEUED', 'SENT')")) {
                statement.setString(1, origin);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Commit times of the feed's changes in {@code (after, upTo]}. */
    static Map<Long, Instant> commitTimes(Database database, long after, long upTo) {
        return database.read(connection -> {
            Map<Long, Instant> times = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT seq, committed_at FROM change_feed WHERE seq > ? AND seq <= ?")) {
                statement.setLong(1, after);
                statement.setLong(2, upTo);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        times.put(rs.getLong(1), instant(rs, 2));
                    }
                }
            }
            return times;
        });
    }

    /** Deliveries per second acknowledged in {@code [from, to)}. */
    static double perSecond(Collection<Delivery> deliveries, Instant from, Instant to) {
        long count = deliveries.stream().filter(d -> !d.ackedAt().isBefore(from) && d.ackedAt().isBefore(to)).count();
        return count / seconds(from, to);
    }

    static double seconds(Instant from, Instant to) {
        return Math.max(1e-3, (to.toEpochMilli() - from.toEpochMilli()) / 1000.0);
    }

    /** The delays of the copies that reflect a sequence after {@code after}, split at the moment each was queued. */
    record CopyDelays(long copies, LatencyHistogram commitToAck, LatencyHistogram commitToQueued,
            LatencyHistogram queuedToAck) {
    }

    static CopyDelays copyDelays(List<Delivery> copies, Map<Long, Instant> commitTimes, long after) {
        LatencyHistogram commitToAck = new LatencyHistogram();
        LatencyHistogram commitToQueued = new LatencyHistogram();
        LatencyHistogram queuedToAck = new LatencyHistogram();
        long counted = 0;
        for (Delivery copy : copies) {
            Instant committed = commitTimes.get(copy.reflects());
            if (copy.reflects() <= after || committed == null) {
                continue;
            }
            counted++;
            commitToAck.record(millis(committed, copy.ackedAt()));
            commitToQueued.record(millis(committed, copy.queuedAt()));
            queuedToAck.record(millis(copy.queuedAt(), copy.ackedAt()));
        }
        return new CopyDelays(counted, commitToAck, commitToQueued, queuedToAck);
    }

    /**
     * For each change and each device of its zone: the delay from the change's commit to the acknowledgement of the
     * first copy that device received reflecting it (or a later sequence). Answers how many pairs never got one.
     */
    static long changeToDevice(List<Change> changes, List<Delivery> copies, Map<String, Integer> zoneOf,
            Map<Integer, List<String>> zones, LatencyHistogram histogram) {
        Map<String, List<Delivery>> byDevice = new HashMap<>();
        for (Delivery copy : copies) {
            byDevice.computeIfAbsent(copy.endpoint(), k -> new ArrayList<>()).add(copy);
        }
        byDevice.values().forEach(list -> list.sort(Comparator.comparingLong(Delivery::reflects)));
        long missing = 0;
        for (Change change : changes) {
            Integer zone = zoneOf.get(change.endpoint());
            if (zone == null) {
                continue;
            }
            for (String device : zones.get(zone)) {
                Delivery first = firstReflecting(byDevice.getOrDefault(device, List.of()), change.sequence());
                if (first == null) {
                    missing++;
                } else {
                    histogram.record(millis(change.committedAt(), first.ackedAt()));
                }
            }
        }
        return missing;
    }

    private static Delivery firstReflecting(List<Delivery> sorted, long sequence) {
        int low = 0;
        int high = sorted.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted.get(middle).reflects() < sequence) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low < sorted.size() ? sorted.get(low) : null;
    }

    static long millis(Instant from, Instant to) {
        return to.toEpochMilli() - from.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, int column) throws java.sql.SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static long reflects(String payload) {
        if (payload == null) {
            return -1;
        }
        try {
            JsonNode sequence = MAPPER.readTree(payload).path("resources").path(REFLECTS);
            return sequence.canConvertToLong() ? sequence.asLong() : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
