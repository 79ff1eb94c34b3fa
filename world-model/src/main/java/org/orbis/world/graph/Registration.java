package org.orbis.world.graph;

import java.time.Instant;

/**
 * What a device declared when it registered, as the world model keeps it.
 *
 * @param objectLinks the registration's object links in CoRE link format, e.g. {@code </3/0>,</3303/0>}
 */
public record Registration(String registrationId, String lwm2mVersion, String binding, long lifetimeSeconds,
        boolean queueMode, String address, String objectLinks, Instant registeredAt) {
}
