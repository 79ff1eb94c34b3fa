package org.orbis.world.firmware;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a campaign rolls out.
 *
 * @param batchSize devices are updated in batches of this size, in order; a batch starts once the previous one has
 *        finished (so the first batch is a canary)
 * @param concurrency at most this many devices of the batch are updated at once
 * @param ratePerMinute at most this many devices are started per minute; 0 for no limit
 * @param failureThreshold the campaign aborts when more than this share (0..1) of the devices that finished failed,
 *        checked once a batch's worth of devices finished
 * @param maxAttempts attempts per device before it counts as failed (failures that retrying cannot fix, such as an
 *        integrity failure, fail at once)
 * @param retryBackoff wait before the second attempt; doubled for each further one
 * @param deviceTimeout how long one attempt may take, from start to the new version reported
 */
public record CampaignPolicy(int batchSize, int concurrency, int ratePerMinute, double failureThreshold, int maxAttempts,
        Duration retryBackoff, Duration deviceTimeout) {

    public static final int DEFAULT_CONCURRENCY = 50;
    public static final double DEFAULT_FAILURE_THRESHOLD = 0.2;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DEVICE_TIMEOUT = Duration.ofHours(1);
    /** A batch size meaning "every device in one batch". */
    public static final int ALL = Integer.MAX_VALUE;

    public CampaignPolicy {
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(deviceTimeout, "deviceTimeout");
        List<String> problems = new ArrayList<>();
        if (batchSize < 1) {
            problems.add("batchSize must be at least 1");
        }
        if (concurrency < 1 || concurrency > 10_000) {
            problems.add("concurrency must be between 1 and 10000");
        }
        if (ratePerMinute < 0) {
            problems.add("ratePerMinute must be 0 (no limit) or more");
        }
        if (!(failureThreshold >= 0 && failureThreshold <= 1)) {
            problems.add("failureThreshold must be between 0 and 1 (a share of the devices that finished)");
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            problems.add("maxAttempts must be between 1 and 20");
        }
        if (retryBackoff.isNegative() || retryBackoff.compareTo(Duration.ofDays(1)) > 0) {
            problems.add("retryBackoff must be between 0 and 1 day");
        }
        if (deviceTimeout.compareTo(Duration.ofSeconds(1)) < 0 || deviceTimeout.compareTo(Duration.ofDays(30)) > 0) {
            problems.add("deviceTimeout must be between 1 s and 30 days");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public static CampaignPolicy defaults() {
        return new CampaignPolicy(ALL, DEFAULT_CONCURRENCY, 0, DEFAULT_FAILURE_THRESHOLD, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_RETRY_BACKOFF, DEFAULT_DEVICE_TIMEOUT);
    }

    /** The wait before attempt {@code attempt + 1} after {@code attempt} failed. */
    public Duration backoffAfter(int attempt) {
        return retryBackoff.multipliedBy(1L << Math.min(16, Math.max(0, attempt - 1)));
    }
}
