package org.orbis.world.firmware;

/**
 * What a device reports about its firmware, from the world model.
 *
 * @param model Model Number (/3/0/1), {@code null} if never reported
 * @param version Firmware Version (/3/0/3), {@code null} if never reported
 */
public record DeviceFirmware(String endpoint, String model, String version) {
}
