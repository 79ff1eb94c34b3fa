package org.orbis.server.firmware;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.eclipse.leshan.server.security.SecurityStore;
import org.orbis.world.firmware.CampaignStore;

/**
 * Who may download which package: a device whose campaign has told it to fetch that image (it is transferring by
 * pull in a running or paused campaign). Devices are known by their DTLS identity: the registration made with it, or
 * for PSK the provisioned identity, or for X.509 the certificate's CN. The campaign runner keeps the answer in memory
 * so that serving a block never waits on the database; what it does not know is looked up in the database (off
 * Californium's threads). Also counts what was served. Thread-safe.
 */
final class PackageAccess {

    private final CampaignStore campaigns;
    private final Function<Identity, Registration> registrations;
    private final SecurityStore security;
    private final Map<String, Long> transferring = new ConcurrentHashMap<>();
    /** Endpoint by credential (not by address: a download comes from its own socket, not the LwM2M session's). */
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    PackageAccess(CampaignStore campaigns, Function<Identity, Registration> registrations, SecurityStore security) {
        this.campaigns = campaigns;
        this.registrations = registrations;
        this.security = security;
    }

    /** The device may download this image from now on (until {@link #revoke}); its transfer count starts at 0. */
    void allow(String endpoint, long imageId) {
        transferring.put(endpoint, imageId);
        served.put(endpoint, new AtomicLong());
    }

    void revoke(String endpoint) {
        transferring.remove(endpoint);
    }

    /** The answer without the database: {@code TRUE}, or {@code null} if only the database can tell. */
    Boolean allowedFromMemory(String endpoint, long imageId) {
        Long allowed = transferring.get(endpoint);
        return allowed != null && allowed == imageId ? Boolean.TRUE : null;
    }

    /** The full answer; may read the database. */
    boolean allowed(String endpoint, long imageId) {
        if (allowedFromMemory(endpoint, imageId) != null) {
            return true;
        }
        if (campaigns.isTransferring(endpoint, imageId)) {
            transferring.put(endpoint, imageId);
            served.computeIfAbsent(endpoint, e -> new AtomicLong());
            return true;
        }
        return false;
    }

    /** The endpoint of a DTLS identity from what is in memory (devices seen before, registrations), or null. */
    String endpointFromMemory(Identity identity) {
        String key = credentialKey(identity);
        if (key == null) {
            return null;
        }
        String known = endpoints.get(key);
        if (known != null) {
            return known;
        }
        Registration registration = registrations.apply(identity);
        if (registration != null) {
            endpoints.put(key, registration.getEndpoint());
            return registration.getEndpoint();
        }
        return null;
    }

    /** The endpoint of a DTLS identity, also from the provisioned credentials (may read the database), or null. */
    String endpoint(Identity identity) {
        String known = endpointFromMemory(identity);
        if (known != null || identity == null) {
            return known;
        }
        String found = null;
        if (identity.isPSK()) {
            SecurityInfo info = security.getByIdentity(identity.getPskIdentity());
            found = info == null ? null : info.getEndpoint();
        } else if (identity.isX509()) {
            found = identity.getX509CommonName();
        }
        if (found != null) {
            endpoints.put(credentialKey(identity), found);
        }
        return found;
    }

    /** What identifies a device's credential whatever address it talks from, or {@code null} (no DTLS). */
    static String credentialKey(Identity identity) {
        if (identity == null) {
            return null;
        }
        if (identity.isPSK()) {
            return "psk:" + identity.getPskIdentity();
        }
        if (identity.isRPK()) {
            return "rpk:" + java.util.Base64.getEncoder().encodeToString(identity.getRawPublicKey().getEncoded());
        }
        if (identity.isX509()) {
            return "x509:" + identity.getX509CommonName();
        }
        return null;
    }

    void served(String endpoint, int length) {
        bytes.addAndGet(length);
        blocks.incrementAndGet();
        AtomicLong count = served.get(endpoint);
        if (count != null) {
            count.addAndGet(length);
        }
    }

    void refused() {
        refused.incrementAndGet();
    }

    /** Bytes of package served to the device since its current transfer began, or -1 if unknown. */
    long bytesServed(String endpoint) {
        AtomicLong count = served.get(endpoint);
        return count == null ? -1 : count.get();
    }

    TransferStats stats() {
        return new TransferStats(bytes.get(), blocks.get(), refused.get());
    }
}
