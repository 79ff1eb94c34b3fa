package org.orbis.world.firmware;

import java.time.Instant;

/**
 * An uploaded firmware package.
 *
 * @param model the device model it is for (what devices report in /3/0/1)
 * @param version the firmware version devices report in /3/0/3 once it is installed
 * @param name a display name, or {@code null}
 * @param size the package's size in bytes
 * @param sha256 the SHA-256 of the whole package, 64 lower-case hex digits
 */
public record FirmwareImage(long id, String model, String version, String name, long size, String sha256,
        Instant createdAt) {
}
