package org.orbis.client.firmware;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An Orbis firmware package: a short text header followed by the firmware image, so that a device can check what it
 * received before it installs anything. The format, byte for byte:
 *
 * <pre>
 * OFW1\n                                   magic and format version
 * model: orbis-reference\n                 the device model the image is for (Device /3/0/1)
 * version: 2.0.0\n                         the firmware version it installs (Device /3/0/3 afterwards)
 * name: orbis-reference-firmware\n         optional package name (Firmware Update /5/0/6); default: the model
 * payload-size: 1048576\n                  length of the image in bytes
 * payload-sha256: 9f86d0…\n                SHA-256 of the image, 64 lower-case hex digits
 * \n                                       an empty line ends the header
 * &lt;payload-size bytes of image&gt;
 * </pre>
 *
 * Header lines are {@code key: value} in US-ASCII, at most {@value #MAX_HEADER_BYTES} bytes in all; unknown keys are
 * ignored so the format can grow. A device refuses a package whose magic or header it cannot read, or whose model is
 * not its own (Update Result 6, unsupported package type), and one whose image length or SHA-256 differ from the
 * header (Update Result 5, integrity check failure).
 *
 * @param name the package name, {@code null} for the default (the model)
 */
public record FirmwarePackage(String model, String version, String name, byte[] payload) {

    public static final String MAGIC = "OFW1";
    public static final int MAX_HEADER_BYTES = 4096;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._+\\-:@/ ]{1,128}");
    private static final HexFormat HEX = HexFormat.of();

    public FirmwarePackage {
        requireToken(model, "model");
        requireToken(version, "version");
        if (name != null) {
            requireToken(name, "name");
        }
        Objects.requireNonNull(payload, "payload");
    }

    /** A package of {@code payload} for {@code model} that installs {@code version}. */
    public static FirmwarePackage of(String model, String version, byte[] payload) {
        return new FirmwarePackage(model, version, null, payload);
    }

    /** The package name a device reports: the {@code name} header, or the model. */
    public String packageName() {
        return name != null ? name : model;
    }

    /** The package as bytes: header, empty line, image. */
    public byte[] encode() {
        StringBuilder header = new StringBuilder(MAGIC).append('\n')
                .append("model: ").append(model).append('\n')
                .append("version: ").append(version).append('\n');
        if (name != null) {
            header.append("name: ").append(name).append('\n');
        }
        header.append("payload-size: ").append(payload.length).append('\n')
                .append("payload-sha256: ").append(HEX.formatHex(sha256(payload))).append("\n\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + payload.length);
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * Reads and checks a package.
     *
     * @throws PackageException saying whether the package is unreadable (unsupported) or corrupt (integrity)
     */
    public static FirmwarePackage decode(byte[] bytes) {
        int end = headerEnd(bytes);
        String[] lines = new String(bytes, 0, end, StandardCharsets.US_ASCII).split("\n");
        if (!MAGIC.equals(lines[0])) {
            throw new PackageException(PackageException.Kind.UNSUPPORTED, "not an Orbis firmware package (no " + MAGIC
                    + " magic)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new PackageException(PackageException.Kind.UNSUPPORTED, "package header line '" + lines[i]
                        + "' is not 'key: value'");
            }
            fields.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        String model = required(fields, "model");
        String version = required(fields, "version");
        long size;
        byte[] digest;
        try {
            size = Long.parseLong(required(fields, "payload-size"));
            digest = HEX.parseHex(required(fields, "payload-sha256"));
        } catch (IllegalArgumentException e) {
            throw new PackageException(PackageException.Kind.UNSUPPORTED, "package header is malformed: " + e.getMessage());
        }
        int start = end + 2;
        long actual = bytes.length - (long) start;
        if (actual != size) {
            throw new PackageException(PackageException.Kind.INTEGRITY, "image is " + actual + " bytes, the header says "
                    + size);
        }
        byte[] payload = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
        if (!MessageDigest.isEqual(digest, sha256(payload))) {
            throw new PackageException(PackageException.Kind.INTEGRITY, "image SHA-256 does not match the header");
        }
        try {
            return new FirmwarePackage(model, version, fields.get("name"), payload);
        } catch (IllegalArgumentException e) {
            throw new PackageException(PackageException.Kind.UNSUPPORTED, e.getMessage());
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Index of the "\n\n" that ends the header. */
    private static int headerEnd(byte[] bytes) {
        int limit = Math.min(bytes.length - 1, MAX_HEADER_BYTES);
        for (int i = 0; i < limit; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new PackageException(PackageException.Kind.UNSUPPORTED, "no package header (no empty line within the first "
                + MAX_HEADER_BYTES + " bytes)");
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new PackageException(PackageException.Kind.UNSUPPORTED, "package header has no '" + key + "'");
        }
        return value;
    }

    private static void requireToken(String value, String what) {
        if (value == null || !TOKEN.matcher(value).matches() || !value.equals(value.strip())) {
            throw new IllegalArgumentException("package " + what + " '" + value
                    + "' must be 1 to 128 letters, digits, spaces or . _ + - : @ /");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FirmwarePackage that && model.equals(that.model) && version.equals(that.version)
                && Objects.equals(name, that.name) && java.util.Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, version, name, java.util.Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "FirmwarePackage[" + packageName() + " " + version + " for " + model + ", " + payload.length + " bytes]";
    }

    /** A package that cannot be installed, and why. */
    public static final class PackageException extends RuntimeException {

        /** Unreadable or not for this device (Update Result 6), or corrupt (Update Result 5). */
        public enum Kind {
            UNSUPPORTED, INTEGRITY
        }

        private final Kind kind;

        public PackageException(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }
}
