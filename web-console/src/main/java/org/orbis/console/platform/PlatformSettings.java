package org.orbis.console.platform;

import java.time.Duration;
import java.util.Objects;
import org.orbis.server.firmware.FirmwareSettings;
import org.orbis.server.observe.ObservePolicy;
import org.orbis.world.history.Retention;
import org.orbis.world.store.DatabaseSettings;

/**
 * Everything the all-in-one platform needs to start. Port 0 picks a free port (tests); a {@code null} NoSec port keeps
 * NoSec CoAP off.
 *
 * @param publicHost the host name devices use to reach this machine, written into bootstrap configurations
 * @param awakeTime how long a queue-mode device counts as awake after each message it sends
 * @param retention how long history and change feed are kept
 * @param firmware package size limit, package cache and firmware campaign timing
 */
public record PlatformSettings(DatabaseSettings database, String bindHost, String publicHost, int coapsPort,
        Integer coapPort, int bootstrapPort, Integer bootstrapCoapPort, String httpHost, int httpPort,
        ObservePolicy observePolicy, int demoDevices, Duration awakeTime, Retention retention,
        FirmwareSettings firmware) {

    public static final Duration DEFAULT_AWAKE_TIME = Duration.ofSeconds(10);

    public PlatformSettings {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(publicHost, "publicHost");
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(observePolicy, "observePolicy");
        Objects.requireNonNull(awakeTime, "awakeTime");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(firmware, "firmware");
        requirePort(coapsPort, "CoAPS port");
        requirePort(bootstrapPort, "bootstrap port");
        requirePort(httpPort, "HTTP port");
        if (coapPort != null) {
            requirePort(coapPort, "CoAP port");
        }
        if (bootstrapCoapPort != null) {
            requirePort(bootstrapCoapPort, "bootstrap CoAP port");
        }
        if (demoDevices < 0 || demoDevices > 10_000) {
            throw new IllegalArgumentException("demo devices must be between 0 and 10000, was " + demoDevices);
        }
    }

    /** The settings with the default firmware settings. */
    public PlatformSettings(DatabaseSettings database, String bindHost, String publicHost, int coapsPort,
            Integer coapPort, int bootstrapPort, Integer bootstrapCoapPort, String httpHost, int httpPort,
            ObservePolicy observePolicy, int demoDevices, Duration awakeTime, Retention retention) {
        this(database, bindHost, publicHost, coapsPort, coapPort, bootstrapPort, bootstrapCoapPort, httpHost, httpPort,
                observePolicy, demoDevices, awakeTime, retention, FirmwareSettings.defaults());
    }

    /** Loopback everywhere and free ports: what tests use. */
    public static PlatformSettings forTests(DatabaseSettings database) {
        return new PlatformSettings(database, "127.0.0.1", "127.0.0.1", 0, null, 0, null, "127.0.0.1", 0,
                ObservePolicy.defaults(), 0, DEFAULT_AWAKE_TIME, Retention.defaults());
    }

    public PlatformSettings withDemoDevices(int count) {
        return new PlatformSettings(database, bindHost, publicHost, coapsPort, coapPort, bootstrapPort, bootstrapCoapPort,
                httpHost, httpPort, observePolicy, count, awakeTime, retention, firmware);
    }

    /** The same settings on fixed ports (a restart must come back where devices expect it). */
    public PlatformSettings withPorts(int coaps, int bootstrap, int http) {
        return new PlatformSettings(database, bindHost, publicHost, coaps, coapPort, bootstrap, bootstrapCoapPort,
                httpHost, http, observePolicy, demoDevices, awakeTime, retention, firmware);
    }

    public PlatformSettings withAwakeTime(Duration time) {
        return new PlatformSettings(database, bindHost, publicHost, coapsPort, coapPort, bootstrapPort, bootstrapCoapPort,
                httpHost, httpPort, observePolicy, demoDevices, time, retention, firmware);
    }

    /** The same settings observing only the objects {@code policy} covers at registration. */
    public PlatformSettings withObservePolicy(ObservePolicy policy) {
        return new PlatformSettings(database, bindHost, publicHost, coapsPort, coapPort, bootstrapPort, bootstrapCoapPort,
                httpHost, httpPort, policy, demoDevices, awakeTime, retention);
    }

    public PlatformSettings withRetention(Retention retention) {
        return new PlatformSettings(database, bindHost, publicHost, coapsPort, coapPort, bootstrapPort, bootstrapCoapPort,
                httpHost, httpPort, observePolicy, demoDevices, awakeTime, retention, firmware);
    }

    public PlatformSettings withFirmware(FirmwareSettings settings) {
        return new PlatformSettings(database, bindHost, publicHost, coapsPort, coapPort, bootstrapPort, bootstrapCoapPort,
                httpHost, httpPort, observePolicy, demoDevices, awakeTime, retention, settings);
    }

    private static void requirePort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be between 0 and 65535, was " + port);
        }
    }
}
