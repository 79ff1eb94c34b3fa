package org.orbis.world.commands;

import java.time.Instant;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;

/**
 * What the operator wants a resource to be.
 *
 * @param inSync whether the device has reported this value since it was set
 * @param commandId the queued write that delivers it, or {@code null} if none was needed
 */
public record DesiredValue(String endpoint, ResourcePath path, TypedValue value, long revision, boolean inSync,
        Instant setAt, Instant syncedAt, Long commandId) {

    public NodeKey key() {
        return NodeKey.resource(endpoint, path);
    }
}
