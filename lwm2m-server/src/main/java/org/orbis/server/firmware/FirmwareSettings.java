package org.orbis.server.firmware;

import java.time.Duration;
import java.util.Objects;

/**
 * How the DM server handles firmware.
 *
 * @param maxPackageBytes the largest package an upload may carry
 * @param cacheBytes how many bytes of packages are kept in memory for serving
 * @param tick how often the campaign runner looks at its campaigns when nothing reports
 * @param pollInterval how long a device under way may stay silent before its state is read
 */
public record FirmwareSettings(long maxPackageBytes, long cacheBytes, Duration tick, Duration pollInterval) {

    public static final long DEFAULT_MAX_PACKAGE_BYTES = 64L * 1024 * 1024;

    public FirmwareSettings {
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (maxPackageBytes < 1 || cacheBytes < 1) {
            throw new IllegalArgumentException("package and cache sizes must be positive");
        }
        if (tick.toMillis() < 10 || pollInterval.toMillis() < 100) {
            throw new IllegalArgumentException("the tick must be at least 10 ms and the poll interval at least 100 ms");
        }
    }

    public static FirmwareSettings defaults() {
        return new FirmwareSettings(DEFAULT_MAX_PACKAGE_BYTES, 256L * 1024 * 1024, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
    }

    public FirmwareSettings withPollInterval(Duration interval) {
        return new FirmwareSettings(maxPackageBytes, cacheBytes, tick, interval);
    }

    public FirmwareSettings withMaxPackageBytes(long bytes) {
        return new FirmwareSettings(bytes, cacheBytes, tick, pollInterval);
    }
}
