package org.orbis.world.graph;

import java.time.Instant;

/**
 * One committed change of the world model, as readers of the change feed see it. {@code sequence} is strictly
 * increasing in commit order across the whole world, so a reader resumes by asking for everything after the last
 * sequence it saw.
 *
 * @param path, value, revision, deviceTime, serverTime set for {@link Kind#VALUE} changes
 * @param state set for {@link Kind#DEVICE} changes
 */
public record ChangeEvent(long sequence, Instant committedAt, Kind kind, String endpoint, ResourcePath path,
        TypedValue value, Long revision, Instant deviceTime, Instant serverTime, DeviceState state) {

    public enum Kind {
        /** A resource value changed. */
        VALUE,
        /** A device's registration state changed. */
        DEVICE
    }

    public NodeKey key() {
        return kind == Kind.VALUE ? NodeKey.resource(endpoint, path) : NodeKey.device(endpoint);
    }
}
