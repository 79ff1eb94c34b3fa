package org.orbis.server.firmware;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The header of an Orbis firmware package (format documented in the README and the reference client's
 * {@code FirmwarePackage}): {@code OFW1}, then {@code key: value} lines (model, version, payload-size,
 * payload-sha256), then an empty line. The server reads it only to catch an upload whose declared model or version
 * contradicts its content; packages in other formats are stored as they are.
 */
record PackageHeader(String model, String version) {

    static final String MAGIC = "OFW1\n";
    static final int MAX_BYTES = 4096;

    /** The header of {@code start} (the first bytes of a package), or empty if it is not an Orbis package. */
    static Optional<PackageHeader> read(byte[] start) {
        String text = new String(start, 0, Math.min(start.length, MAX_BYTES), StandardCharsets.US_ASCII);
        int end = text.indexOf("\n\n");
        if (!text.startsWith(MAGIC) || end < 0) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.substring(MAGIC.length(), end).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        if (!fields.containsKey("model") || !fields.containsKey("version")) {
            return Optional.empty();
        }
        return Optional.of(new PackageHeader(fields.get("model"), fields.get("version")));
    }
}
