package org.orbis.world.store;

import org.orbis.world.graph.DeviceState;

/**
 * Which devices to list, one page at a time, ordered by endpoint.
 *
 * @param state only devices in this state, or {@code null} for all
 * @param search only endpoints containing this text (case-insensitive), or {@code null}
 */
public record DeviceQuery(DeviceState state, String search, int offset, int limit) {

    public static final int MAX_LIMIT = 1000;

    public DeviceQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (search != null && search.isBlank()) {
            search = null;
        }
    }

    public static DeviceQuery all() {
        return new DeviceQuery(null, null, 0, MAX_LIMIT);
    }
}
