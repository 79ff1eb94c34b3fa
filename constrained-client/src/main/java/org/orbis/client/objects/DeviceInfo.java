package org.orbis.client.objects;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * The fixed identity a Device (3) instance reports.
 *
 * @param manufacturer Manufacturer (0)
 * @param modelNumber Model Number (1)
 * @param serialNumber Serial Number (2)
 * @param firmwareVersion Firmware Version (3)
 */
public record DeviceInfo(String manufacturer, String modelNumber, String serialNumber, String firmwareVersion) {

    public static final String MANUFACTURER = "Orbis";
    public static final String MODEL_NUMBER = "orbis-reference";
    public static final String FIRMWARE_VERSION = "1.0.0";

    /** The reference device's identity; the serial number is stable per endpoint name. */
    public static DeviceInfo forEndpoint(String endpoint) {
        return new DeviceInfo(MANUFACTURER, MODEL_NUMBER, serialNumberOf(endpoint), FIRMWARE_VERSION);
    }

    /** The same identity with another firmware version. */
    public DeviceInfo withFirmwareVersion(String version) {
        return new DeviceInfo(manufacturer, modelNumber, serialNumber, version);
    }

    /** {@code ORB-} followed by 12 hex digits of a name-based UUID of the endpoint. */
    static String serialNumberOf(String endpoint) {
        String hex = UUID.nameUUIDFromBytes(endpoint.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        return "ORB-" + hex.substring(0, 12).toUpperCase(Locale.ROOT);
    }
}
