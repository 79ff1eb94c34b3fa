package org.orbis.client.firmware;

import java.net.URI;

/**
 * What the Firmware Update object needs from the device around it. Called on the client's threads; implementations
 * must return quickly (they schedule the work).
 */
public interface FirmwareHost {

    /** Starts a pull download of {@code uri} from byte {@code offset} (see {@link PackageDownload#start}). */
    PackageDownload download(URI uri, long offset, byte[] etag, PackageDownload.Sink sink);

    /**
     * The new image is in place: the device reboots into it, and reports {@code version} in /3/0/3 from then on (see
     * {@link FirmwareUpdateInstance#bootIntoInstalled()}).
     */
    void installed(String version);

    /** Simulated power cut: the device reboots now, keeping what it stored. */
    void powerCut();

    /** Tells listeners that State or Update Result changed. */
    void statusChanged(FirmwareStatus status);
}
