package org.orbis.client.fleet;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a fleet simulates.
 *
 * @param server the DM server's DTLS address
 * @param bindHost local address the devices' sockets bind to (ephemeral ports); give each fleet process on a host its
 *            own loopback address (127.0.1.1, 127.0.1.2, …) when several run at once
 * @param registrationRate devices started per second while ramping up
 * @param notificationRate notifications per second across all registered devices (each device notifies every
 *            {@code devices / notificationRate} seconds once observed); 0 for none
 * @param queueModeFraction share of devices registering in queue mode (LwM2M 1.1 {@code Q})
 * @param lifetime registration lifetime; devices send an Update at three quarters of it
 * @param duration how long to run after the last device started (then deregister and stop)
 * @param timestampValues send the wall-clock time of sending (epoch ms) as Sensor Value instead of a drifting
 *            temperature, so that a receiver on the same host can measure the delay
 * @param plainPsk offer only TLS_PSK_WITH_AES_128_CCM_8 (no ECDHE), what constrained devices implement
 * @param confirmable send notifications as CON (as Leshan clients do) or NON
 */
public record FleetSettings(InetSocketAddress server, String bindHost, double registrationRate,
        double notificationRate, double queueModeFraction, Duration lifetime, Duration duration,
        boolean timestampValues, boolean plainPsk, boolean confirmable, int maxPendingRegistrations, int threads) {

    public FleetSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(bindHost, "bindHost");
        List<String> problems = new ArrayList<>();
        if (!(registrationRate > 0)) {
            problems.add("registration rate must be positive");
        }
        if (notificationRate < 0) {
            problems.add("notification rate must not be negative");
        }
        if (queueModeFraction < 0 || queueModeFraction > 1) {
            problems.add("queue-mode fraction must be between 0 and 1");
        }
        if (lifetime == null || lifetime.toSeconds() < 10) {
            problems.add("lifetime must be at least 10 s");
        }
        if (duration == null || duration.isNegative()) {
            problems.add("duration must not be negative");
        }
        if (maxPendingRegistrations < 1 || threads < 1) {
            problems.add("pending registrations and threads must be positive");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
