/**
 * The reference client's firmware updates: the Firmware Update object (5) and its state machine
 * ({@link org.orbis.client.firmware.FirmwareUpdateInstance}), pull downloads over CoAP/CoAPS with Block2, resumable
 * from any block ({@link org.orbis.client.firmware.PackageDownload}), the Orbis package format with its integrity check
 * ({@link org.orbis.client.firmware.FirmwarePackage}), and failures a tester can ask the device to suffer
 * ({@link org.orbis.client.firmware.FirmwareFailure}). Downloads open their own socket with the device's own DTLS
 * credentials; nothing here knows the Orbis servers.
 */
package org.orbis.client.firmware;
