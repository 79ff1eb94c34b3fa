package org.orbis.world.firmware;

import java.util.Locale;

/** Where one device stands in its campaign. */
public enum DeviceUpdateState {
    /** Not started yet. */
    PENDING,
    /** The package is on its way: the device downloads it (pull) or is being written it (push). */
    TRANSFERRING,
    /** The device was told to install the package and should come back with the new version. */
    UPDATING,
    /** An attempt failed; another starts after the back-off. */
    WAITING_RETRY,
    /** The device reports the new version. */
    SUCCEEDED,
    /** Every attempt failed, or one failed in a way retrying cannot fix. */
    FAILED,
    /** The campaign was aborted before this device finished. */
    CANCELLED;

    /** Holds one of the campaign's concurrency slots. */
    public boolean isActive() {
        return this == TRANSFERRING || this == UPDATING || this == WAITING_RETRY;
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceUpdateState fromLabel(String label) {
        try {
            return valueOf(label.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device state '" + label + "': use pending, transferring, "
                    + "updating, waiting_retry, succeeded, failed or cancelled");
        }
    }
}
