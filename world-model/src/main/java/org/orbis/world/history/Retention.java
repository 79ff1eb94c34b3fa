package org.orbis.world.history;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the world model keeps what grows forever otherwise.
 *
 * @param history how long resource values stay in the history (charts, export)
 * @param feed how long changes stay in the change feed; a reader that comes back later than that (an SSE client
 *     resuming with an old Last-Event-ID, a view subscriber) is told its position is gone and must resync
 * @param interval how often the housekeeper prunes
 */
public record Retention(Duration history, Duration feed, Duration interval) {

    public static final Duration DEFAULT_HISTORY = Duration.ofDays(30);
    public static final Duration DEFAULT_FEED = Duration.ofDays(7);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    public Retention {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(interval, "interval");
        if (history.compareTo(Duration.ofMinutes(1)) < 0 || feed.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("history and feed retention must be at least one minute, were "
                    + history + " and " + feed);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("housekeeping interval must be positive, was " + interval);
        }
    }

    public static Retention defaults() {
        return new Retention(DEFAULT_HISTORY, DEFAULT_FEED, DEFAULT_INTERVAL);
    }
}
