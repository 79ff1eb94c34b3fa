package org.orbis.client.firmware;

import java.util.Locale;

/**
 * How a device accepts packages, as it reports in Firmware Update Delivery Method (/5/0/9): it fetches them from a
 * Package URI (pull), the server writes them into Package (push), or both.
 */
public enum FirmwareDelivery {
    PULL(0), PUSH(1), BOTH(2);

    private final int code;

    FirmwareDelivery(int code) {
        this.code = code;
    }

    /** The value of /5/0/9. */
    public int code() {
        return code;
    }

    public boolean allowsPull() {
        return this != PUSH;
    }

    public boolean allowsPush() {
        return this != PULL;
    }

    public static FirmwareDelivery fromLabel(String label) {
        try {
            return valueOf(label.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown delivery method '" + label + "'; use pull, push or both");
        }
    }
}
