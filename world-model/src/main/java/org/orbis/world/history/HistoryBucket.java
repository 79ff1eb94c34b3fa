package org.orbis.world.history;

import java.time.Instant;

/** The numeric values of one time bucket {@code [start, end)}; buckets without values are left out. */
public record HistoryBucket(Instant start, Instant end, long count, double min, double max, double avg) {
}
