package org.orbis.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.californium.elements.config.Configuration;
import org.orbis.client.firmware.FirmwareSettings;

/**
 * The validated, complete settings of one {@link ReferenceClient}, produced by {@link ReferenceClientBuilder#build()}.
 *
 * @param serverUri the bootstrap server if {@code bootstrap}, else the device-management server; always
 *            {@code coaps://host:port}
 * @param sharedExecutor {@code null} when the client runs its own threads
 * @param queueAwake the awake window in queue mode, {@code null} when the client does not use queue mode
 * @param queueSleep how long the client sleeps between awake windows in queue mode
 * @param firmwareVersion the firmware version the device runs when it starts (/3/0/3)
 * @param firmware how its Firmware Update object (5) behaves
 */
record ClientSettings(String endpoint, URI serverUri, boolean bootstrap, ClientCredentials credentials,
        InetSocketAddress localAddress, Duration driftPeriod, Duration lifetime, Duration retryInterval,
        ScheduledExecutorService sharedExecutor, Configuration coapConfig, Clock clock, Duration queueAwake,
        Duration queueSleep, String firmwareVersion, FirmwareSettings firmware) {

    @Override
    public String toString() {
        // Never the key.
        return "ClientSettings[endpoint=" + endpoint + ", " + (bootstrap ? "bootstrap" : "server") + "=" + serverUri
                + ", credentials=" + credentials + ", localAddress=" + localAddress + ", driftPeriod=" + driftPeriod
                + "]";
    }
}
