package org.orbis.world.graph;

import java.time.Instant;

/**
 * The committed current value of one resource node.
 *
 * @param deviceTime the timestamp the device gave the value (SenML), or {@code null}
 * @param serverTime when the server received the report that set this value
 * @param revision starts at 1 and grows by one each time the value changes
 * @param sequence the change-feed sequence of the change that set this value
 */
public record ResourceValue(String endpoint, ResourcePath path, TypedValue value, Instant deviceTime, Instant serverTime,
        long revision, long sequence) {

    public NodeKey key() {
        return NodeKey.resource(endpoint, path);
    }
}
