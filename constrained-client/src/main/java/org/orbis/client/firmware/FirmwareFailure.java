package org.orbis.client.firmware;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A failure the reference client can be told to suffer during a firmware update, to test how a server copes. Each
 * ends in the Update Result a real device would report.
 */
public enum FirmwareFailure {
    /** Nothing goes wrong. */
    NONE(0),
    /** The received image is corrupted in storage before it is checked: Update Result 5 (integrity check failure). */
    INTEGRITY(5),
    /** The device has no room for the package, whatever its size: Update Result 2 (not enough flash). */
    OUT_OF_STORAGE(2),
    /** The device refuses any Package URI scheme: Update Result 9 (unsupported protocol). */
    UNSUPPORTED_PROTOCOL(9),
    /** The link drops for good half-way through a pull download: Update Result 4 (connection lost). */
    CONNECTION_LOST(4),
    /** Installing the downloaded image fails: Update Result 8 (firmware update failed), state back to Downloaded. */
    UPDATE_FAILED(8),
    /**
     * Power is cut once, half-way through a pull download: the device reboots, registers again and resumes the
     * download from the last block it stored. Not a failure the server sees, except as a pause.
     */
    REBOOT_MID_DOWNLOAD(0);

    private final int updateResult;

    FirmwareFailure(int updateResult) {
        this.updateResult = updateResult;
    }

    /** The Update Result (/5/0/5) the device reports after this failure, 0 if it reports none. */
    public int updateResult() {
        return updateResult;
    }

    /** The CLI spelling: {@code out-of-storage}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the CLI spelling ({@code integrity}, {@code out-of-storage}, …). */
    public static FirmwareFailure fromLabel(String label) {
        for (FirmwareFailure failure : values()) {
            if (failure.label().equalsIgnoreCase(label.strip())) {
                return failure;
            }
        }
        throw new IllegalArgumentException("unknown firmware failure '" + label + "'; use one of "
                + Arrays.stream(values()).map(FirmwareFailure::label).collect(Collectors.joining(", ")));
    }
}
