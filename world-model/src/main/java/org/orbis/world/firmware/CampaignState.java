package org.orbis.world.firmware;

import java.util.Locale;

/** Where a campaign stands. RUNNING and PAUSED are open; the others are final. */
public enum CampaignState {
    /** Devices are being updated. */
    RUNNING,
    /** No device is started; those already under way finish their update. */
    PAUSED,
    /** Every device reports the new version. */
    SUCCEEDED,
    /** Every device finished, and some failed (fewer than the abort threshold). */
    FAILED,
    /** Stopped by an operator or by the failure threshold: devices not yet updated were left alone. */
    ABORTED;

    public boolean isFinal() {
        return this != RUNNING && this != PAUSED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CampaignState fromLabel(String label) {
        try {
            return valueOf(label.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown campaign state '" + label
                    + "': use running, paused, succeeded, failed or aborted");
        }
    }
}
