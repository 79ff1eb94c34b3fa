package org.orbis.client.fleet;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What a fleet did, counted lock-free from every device thread. */
public final class FleetStats {

    final LongAdder started = new LongAdder();
    final LongAdder registered = new LongAdder();
    final LongAdder observed = new LongAdder();
    final LongAdder reregistered = new LongAdder();
    final LongAdder updates = new LongAdder();
    final LongAdder notificationsSent = new LongAdder();
    final LongAdder notificationsAcked = new LongAdder();
    final LongAdder notificationsSkipped = new LongAdder();
    final LongAdder deregistered = new LongAdder();
    final LongAdder registrationNanos = new LongAdder();
    final AtomicLong lastRegisteredAt = new AtomicLong();
    final AtomicLong lastObservedAt = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** A consistent-enough copy for progress lines and the summary. */
    public Snapshot snapshot() {
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((kind, count) -> errorCounts.put(kind, count.sum()));
        long registeredCount = registered.sum();
        return new Snapshot(started.sum(), registeredCount, observed.sum(), reregistered.sum(), updates.sum(),
                notificationsSent.sum(), notificationsAcked.sum(), notificationsSkipped.sum(), deregistered.sum(),
                registeredCount == 0 ? 0 : registrationNanos.sum() / registeredCount / 1_000_000.0,
                lastRegisteredAt.get(), lastObservedAt.get(), errorCounts);
    }

    /**
     * Counters at one instant.
     *
     * @param meanRegistrationMillis from the first datagram (handshake included) to the Register answer
     * @param lastRegisteredAt wall-clock millis of the last first registration, 0 if none
     */
    public record Snapshot(long started, long registered, long observed, long reregistered, long updates,
            long notificationsSent, long notificationsAcked, long notificationsSkipped, long deregistered,
            double meanRegistrationMillis, long lastRegisteredAt, long lastObservedAt, Map<String, Long> errors) {

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The summary as one JSON object (for benchmark harnesses). */
        public String toJson() {
            StringBuilder json = new StringBuilder("{");
            json.append("\"started\":").append(started).append(",\"registered\":").append(registered)
                    .append(",\"observed\":").append(observed).append(",\"reregistered\":").append(reregistered)
                    .append(",\"updates\":").append(updates).append(",\"notifications_sent\":").append(notificationsSent)
                    .append(",\"notifications_acked\":").append(notificationsAcked)
                    .append(",\"notifications_skipped\":").append(notificationsSkipped)
                    .append(",\"deregistered\":").append(deregistered)
                    .append(",\"mean_registration_ms\":").append(String.format(java.util.Locale.ROOT, "%.1f", meanRegistrationMillis))
                    .append(",\"last_registered_at\":").append(lastRegisteredAt)
                    .append(",\"last_observed_at\":").append(lastObservedAt).append(",\"errors\":{");
            boolean first = true;
            for (Map.Entry<String, Long> entry : errors.entrySet()) {
                json.append(first ? "" : ",").append('"').append(entry.getKey().replace("\"", "'")).append("\":")
                        .append(entry.getValue());
                first = false;
            }
            return json.append("}}").toString();
        }
    }
}
