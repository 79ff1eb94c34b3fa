package org.orbis.client.firmware;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the reference client's Firmware Update object (5) behaves.
 *
 * @param storageBytes room for one package, header included ("flash"); a bigger package fails with Update Result 2
 * @param delivery which delivery methods it accepts (/5/0/9)
 * @param coapAllowed whether it fetches {@code coap://} (NoSec) Package URIs besides {@code coaps://} (/5/0/8)
 * @param blockSize the block size it asks for when it pulls (16 to 1024 bytes, a power of two)
 * @param installTime how long installing takes before the device reboots into the new version
 * @param blockTimeout how long it waits for one block before asking again
 * @param maxRetries how many times in a row it asks again for a block (reconnecting each time) before it gives up
 *        with Update Result 4
 * @param failure a failure to simulate, for testing servers
 * @param blockInterval the least time between two block requests (a slow or duty-cycled radio); zero for none
 */
public record FirmwareSettings(long storageBytes, FirmwareDelivery delivery, boolean coapAllowed, int blockSize,
        Duration installTime, Duration blockTimeout, int maxRetries, FirmwareFailure failure, Duration blockInterval) {

    public static final long DEFAULT_STORAGE_BYTES = 4L * 1024 * 1024;
    public static final int DEFAULT_BLOCK_SIZE = 1024;

    public FirmwareSettings {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(installTime, "installTime");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(blockInterval, "blockInterval");
    }

    public static FirmwareSettings defaults() {
        return new FirmwareSettings(DEFAULT_STORAGE_BYTES, FirmwareDelivery.BOTH, true, DEFAULT_BLOCK_SIZE,
                Duration.ofMillis(500), Duration.ofSeconds(4), 8, FirmwareFailure.NONE, Duration.ZERO);
    }

    public FirmwareSettings withStorageBytes(long bytes) {
        return new FirmwareSettings(bytes, delivery, coapAllowed, blockSize, installTime, blockTimeout, maxRetries,
                failure, blockInterval);
    }

    public FirmwareSettings withDelivery(FirmwareDelivery method) {
        return new FirmwareSettings(storageBytes, method, coapAllowed, blockSize, installTime, blockTimeout, maxRetries,
                failure, blockInterval);
    }

    public FirmwareSettings withBlockSize(int size) {
        return new FirmwareSettings(storageBytes, delivery, coapAllowed, size, installTime, blockTimeout, maxRetries,
                failure, blockInterval);
    }

    public FirmwareSettings withFailure(FirmwareFailure simulated) {
        return new FirmwareSettings(storageBytes, delivery, coapAllowed, blockSize, installTime, blockTimeout, maxRetries,
                simulated, blockInterval);
    }

    public FirmwareSettings withInstallTime(Duration time) {
        return new FirmwareSettings(storageBytes, delivery, coapAllowed, blockSize, time, blockTimeout, maxRetries,
                failure, blockInterval);
    }

    public FirmwareSettings withRetries(Duration timeout, int retries) {
        return new FirmwareSettings(storageBytes, delivery, coapAllowed, blockSize, installTime, timeout, retries, failure,
                blockInterval);
    }

    public FirmwareSettings withBlockInterval(Duration interval) {
        return new FirmwareSettings(storageBytes, delivery, coapAllowed, blockSize, installTime, blockTimeout, maxRetries,
                failure, interval);
    }

    /** Every problem with these settings, empty if none. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (storageBytes < 1 || storageBytes > 256L * 1024 * 1024) {
            problems.add("firmware storage must be between 1 byte and 256 MiB, was " + storageBytes);
        }
        if (blockSize < 16 || blockSize > 1024 || Integer.bitCount(blockSize) != 1) {
            problems.add("firmware block size must be 16, 32, 64, 128, 256, 512 or 1024, was " + blockSize);
        }
        if (installTime.isNegative()) {
            problems.add("firmware install time must not be negative");
        }
        if (blockTimeout.toMillis() < 100) {
            problems.add("firmware block timeout must be at least 100 ms");
        }
        if (blockInterval.isNegative() || blockInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("firmware block interval must be between 0 and 10 minutes");
        }
        if (maxRetries < 0 || maxRetries > 100) {
            problems.add("firmware retries must be between 0 and 100, was " + maxRetries);
        }
        return problems;
    }
}
