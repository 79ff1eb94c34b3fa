package org.orbis.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/** Delays in whole milliseconds, 0 to 120 s (longer ones count as 120 s); lock-free recording. */
final class LatencyHistogram {

    private static final int MAX_MS = 120_000;
    private final AtomicLongArray counts = new AtomicLongArray(MAX_MS + 1);

    void record(long millis) {
        counts.incrementAndGet((int) Math.max(0, Math.min(MAX_MS, millis)));
    }

    long count() {
        long total = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The delay at quantile {@code q} (0..1), or -1 without samples. */
    long percentile(double q) {
        long total = count();
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return i;
            }
        }
        return MAX_MS;
    }

    long max() {
        for (int i = MAX_MS; i >= 0; i--) {
            if (counts.get(i) > 0) {
                return i;
            }
        }
        return -1;
    }
}
