package org.orbis.world.access;

import java.util.Locale;

/** What a user may do, each role including the ones before it: read, then operate devices, then administer. */
public enum Role {
    /** Reads the fleet, values, commands and the event stream. */
    VIEWER,
    /** Also operates devices: operations, commands, desired values, provisioning. */
    OPERATOR,
    /** Also manages users, API tokens and security actions (rotation, revocation, audit). */
    ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Role lower(Role a, Role b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static Role fromLabel(String label) {
        try {
            return valueOf(label.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown role '" + label + "': use viewer, operator or admin");
        }
    }
}
