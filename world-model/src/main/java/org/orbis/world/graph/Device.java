package org.orbis.world.graph;

import java.time.Instant;

/**
 * A device as the world model knows it.
 *
 * @param registration the last registration, or {@code null} if the device never registered
 * @param lastSeen when the device last sent anything, or {@code null}
 */
public record Device(String endpoint, DeviceState state, Registration registration, Instant lastSeen, Instant createdAt) {

    public NodeKey key() {
        return NodeKey.device(endpoint);
    }
}
