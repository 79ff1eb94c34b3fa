package org.orbis.bootstrap.store;

import java.util.Collections;
import java.util.Iterator;
import org.eclipse.leshan.server.security.BootstrapSecurityStore;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.orbis.certs.Pem;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.DeviceCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap credentials of provisioned devices (PSK, RPK or X.509), read from the database during DTLS handshakes
 * and bootstrap sessions. Revoked devices have none, and the refusal is logged.
 */
public final class DatabaseBootstrapSecurityStore implements BootstrapSecurityStore {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBootstrapSecurityStore.class);

    private final CredentialStore credentials;

    public DatabaseBootstrapSecurityStore(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public SecurityInfo getByIdentity(String pskIdentity) {
        return credentials.credentialByPskIdentity(CredentialPurpose.BOOTSTRAP, pskIdentity).map(this::active)
                .orElse(null);
    }

    @Override
    public Iterator<SecurityInfo> getAllByEndpoint(String endpoint) {
        SecurityInfo info = credentials.credential(CredentialPurpose.BOOTSTRAP, endpoint).map(this::active).orElse(null);
        return info == null ? Collections.emptyIterator() : Collections.singletonList(info).iterator();
    }

    private SecurityInfo active(DeviceCredential credential) {
        if (credential.isRevoked()) {
            LOG.warn("bootstrap of {} refused: device revoked at {}", credential.endpoint(), credential.revokedAt());
            return null;
        }
        return switch (credential.mode()) {
            case PSK -> SecurityInfo.newPreSharedKeyInfo(credential.endpoint(), credential.pskIdentity(),
                    credential.secret());
            case RPK -> SecurityInfo.newRawPublicKeyInfo(credential.endpoint(),
                    Pem.publicKeyFromDer(credential.publicKey()));
            case X509 -> SecurityInfo.newX509CertInfo(credential.endpoint());
        };
    }
}
