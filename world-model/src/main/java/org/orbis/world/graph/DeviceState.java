package org.orbis.world.graph;

import java.util.Locale;

/** Where a device stands with the DM server, as operators see it. */
public enum DeviceState {
    /** Registered and reachable. */
    ONLINE,
    /** Registered in queue mode and outside its awake window. */
    SLEEPING,
    /** Deregistered or its registration expired. */
    OFFLINE,
    /** Provisioned but never registered. */
    NEVER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceState fromLabel(String label) {
        try {
            return valueOf(label.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device state '" + label + "': use online, sleeping, offline or never");
        }
    }
}
