package org.orbis.world.firmware;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an upload says about the package it carries; {@link FirmwareStore#store} checks the bytes against it.
 *
 * @param sha256 the SHA-256 the uploader computed, hex (checked against the bytes received)
 */
public record NewImage(String model, String version, String name, String sha256) {

    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9._+\\-:@/ ]{1,128}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public NewImage {
        model = requireText(model, "model");
        version = requireText(version, "version");
        if (version.length() > 64) {
            throw new IllegalArgumentException("version must be at most 64 characters");
        }
        if (name != null && !name.isBlank()) {
            name = requireText(name, "name");
        } else {
            name = null;
        }
        if (sha256 == null || !HEX64.matcher(sha256.strip().toLowerCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException("sha256 must be the package's SHA-256 as 64 hex digits (e.g. from "
                    + "'sha256sum fw.bin'), not '" + sha256 + "'");
        }
        sha256 = sha256.strip().toLowerCase(Locale.ROOT);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        String stripped = value.strip();
        if (!TEXT.matcher(stripped).matches()) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' must be 1 to 128 letters, digits, spaces or . _ + - : @ /");
        }
        return stripped;
    }
}
