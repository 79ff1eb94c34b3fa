package org.orbis.world.firmware;

import java.util.Locale;

/**
 * How a package reaches a device: the device fetches it from a Package URI ({@link #PULL}), or the server writes it
 * into Package ({@link #PUSH}); {@link #AUTO} lets each device's reported delivery method decide, preferring pull.
 */
public enum Delivery {
    AUTO, PULL, PUSH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Delivery fromLabel(String label) {
        try {
            return valueOf(label.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("delivery must be auto, pull or push, not '" + label + "'");
        }
    }
}
