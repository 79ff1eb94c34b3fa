package org.orbis.server.firmware;

/** The Update Result codes of Firmware Update (/5/0/5), and whether trying again can help. */
enum UpdateResult {
    INITIAL(0, "initial value", false),
    SUCCESS(1, "firmware updated successfully", false),
    NOT_ENOUGH_FLASH(2, "not enough flash memory for the package", false),
    OUT_OF_RAM(3, "out of RAM during download", true),
    CONNECTION_LOST(4, "connection lost during download", true),
    INTEGRITY_FAILURE(5, "integrity check failure", false),
    UNSUPPORTED_PACKAGE(6, "unsupported package type", false),
    INVALID_URI(7, "invalid URI", false),
    UPDATE_FAILED(8, "firmware update failed", true),
    UNSUPPORTED_PROTOCOL(9, "unsupported protocol", false);

    private final int code;
    private final String meaning;
    private final boolean retryable;

    UpdateResult(int code, String meaning, boolean retryable) {
        this.code = code;
        this.meaning = meaning;
        this.retryable = retryable;
    }

    static UpdateResult of(int code) {
        for (UpdateResult result : values()) {
            if (result.code == code) {
                return result;
            }
        }
        return null;
    }

    int code() {
        return code;
    }

    /** A failure the device reports (2 to 9). */
    boolean isFailure() {
        return code >= 2;
    }

    /** Whether a new attempt may succeed (a dropped link may come back; a corrupt package stays corrupt). */
    boolean retryable() {
        return retryable;
    }

    String describe() {
        return "Update Result " + code + " (" + meaning + ")";
    }
}
