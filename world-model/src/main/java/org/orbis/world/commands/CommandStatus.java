package org.orbis.world.commands;

import java.util.Locale;

/** Where a command stands. QUEUED and SENT are open; the others are final. */
public enum CommandStatus {
    /** Waiting for the device to be reachable (or for its turn). */
    QUEUED,
    /** Sent, waiting for the device's answer. */
    SENT,
    /** The device accepted it. */
    SUCCEEDED,
    /** The device refused it, or every attempt failed. */
    FAILED,
    /** Its expiry passed before it could be delivered; it is never sent. */
    EXPIRED,
    /** Cancelled by an operator, or superseded by a newer command for the same thing. */
    CANCELLED;

    public boolean isFinal() {
        return this != QUEUED && this != SENT;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CommandStatus fromLabel(String label) {
        try {
            return valueOf(label.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown command status '" + label
                    + "': use queued, sent, succeeded, failed, expired or cancelled");
        }
    }
}
