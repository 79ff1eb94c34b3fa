package org.orbis.bootstrap.store;

import java.time.Duration;

/**
 * Where bootstrap sends devices, as the devices must address the servers (a public host name, not a bind address).
 *
 * @param registrationLifetime the lifetime written into the DM server's Server object
 */
public record BootstrapTargets(String bootstrapServerUri, String dmServerUri, Duration registrationLifetime) {
}
