/**
 * Firmware updates on the DM server: uploads checked against their SHA-256 and header
 * ({@link org.orbis.server.firmware.FirmwareService}), packages served block-wise over DTLS at {@code /fw/<id>} to the
 * devices a campaign sends them to, and the campaign runner that walks each device through reset, transfer (pull or
 * push), Update and the new version as commands of its durable queue, persisting every step so a restart resumes.
 * Work that waits on the database runs on the firmware threads ({@code orbis-firmware},
 * {@code orbis-firmware-io-N}), never on Californium's.
 */
package org.orbis.server.firmware;
