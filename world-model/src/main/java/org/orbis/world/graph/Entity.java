package org.orbis.world.graph;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An operator-defined node of the world: a site, building, zone, asset or any kind the operator names.
 *
 * @param kind the first segment of the key ({@code zone} for {@code zone/hq/floor-2})
 * @param label a display name, or {@code null}
 * @param attributes operator-defined text attributes, sorted by name
 * @param revision 1 when created, one more on each update
 */
public record Entity(NodeKey key, String kind, String label, Map<String, String> attributes, long revision,
        Instant createdAt, Instant updatedAt) {

    public Entity {
        Objects.requireNonNull(key, "key");
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }
}
