package org.orbis.server.security;

import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.leshan.server.security.EditableSecurityStore;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.eclipse.leshan.server.security.SecurityStoreListener;
import org.orbis.certs.Pem;
import org.orbis.world.credentials.CredentialListener;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.DeviceCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DM-server credentials of provisioned devices, in all three modes: a PSK identity and key, a raw public key the
 * device's DTLS key must equal, or an X.509 certificate whose CN must equal the endpoint. A revoked device has no
 * security info (and the refusal is logged). Editable only in Leshan's sense of announcing removals: when the
 * {@link CredentialStore} withdraws credentials (rotation, revocation), Leshan's listener drops the DTLS sessions that
 * were established with them. Provisioning itself goes through the credential store, so {@link #add} is refused.
 */
public final class DatabaseSecurityStore implements EditableSecurityStore, CredentialListener {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSecurityStore.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final CredentialStore credentials;
    private volatile SecurityStoreListener listener;
    private volatile long lastRevokedLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    public DatabaseSecurityStore(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public SecurityInfo getByEndpoint(String endpoint) {
        return credentials.credential(CredentialPurpose.DM, endpoint).map(this::activeInfo).orElse(null);
    }

    @Override
    public SecurityInfo getByIdentity(String pskIdentity) {
        return credentials.credentialByPskIdentity(CredentialPurpose.DM, pskIdentity).map(this::activeInfo).orElse(null);
    }

    @Override
    public Collection<SecurityInfo> getAll() {
        // Leshan only enumerates for its own demo UI; the database is the place to list devices.
        return List.of();
    }

    @Override
    public SecurityInfo add(SecurityInfo info) {
        throw new UnsupportedOperationException("provision devices through the credential store (POST /api/devices)");
    }

    @Override
    public SecurityInfo remove(String endpoint, boolean infosAreCompromised) {
        SecurityInfo current = getByEndpoint(endpoint);
        credentials.revoke(endpoint, "removed through Leshan's security store");
        return current;
    }

    @Override
    public void setListener(SecurityStoreListener listener) {
        this.listener = listener;
    }

    /** Drops the DTLS sessions of withdrawn DM credentials (Leshan's connection cleaner listens). */
    @Override
    public void credentialsWithdrawn(List<DeviceCredential> withdrawn, String reason) {
        SecurityInfo[] infos = withdrawn.stream().filter(c -> c.purpose() == CredentialPurpose.DM)
                .map(DatabaseSecurityStore::toSecurityInfo).toArray(SecurityInfo[]::new);
        SecurityStoreListener current = listener;
        if (infos.length > 0 && current != null) {
            current.securityInfoRemoved(true, infos);
            LOG.info("dropped the DTLS sessions of {} ({})", withdrawn.get(0).endpoint(), reason);
        }
    }

    private SecurityInfo activeInfo(DeviceCredential credential) {
        if (credential.isRevoked()) {
            long now = System.nanoTime();
            if (now - lastRevokedLogNanos > LOG_INTERVAL_NANOS) {
                lastRevokedLogNanos = now;
                LOG.warn("refused {}: device revoked at {}", credential.endpoint(), credential.revokedAt());
            }
            return null;
        }
        return toSecurityInfo(credential);
    }

    static SecurityInfo toSecurityInfo(DeviceCredential credential) {
        return switch (credential.mode()) {
            case PSK -> SecurityInfo.newPreSharedKeyInfo(credential.endpoint(), credential.pskIdentity(),
                    credential.secret());
            case RPK -> SecurityInfo.newRawPublicKeyInfo(credential.endpoint(), publicKey(credential));
            case X509 -> SecurityInfo.newX509CertInfo(credential.endpoint());
        };
    }

    private static PublicKey publicKey(DeviceCredential credential) {
        return Pem.publicKeyFromDer(credential.publicKey());
    }
}
