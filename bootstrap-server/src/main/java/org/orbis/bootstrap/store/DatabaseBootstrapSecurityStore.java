package org.orbis.bootstrap.store;

import java.util.Collections;
import java.util.Iterator;
import org.eclipse.leshan.server.security.BootstrapSecurityStore;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.PskCredential;

/** The bootstrap PSKs of provisioned devices, read from the database during DTLS handshakes. */
public final class DatabaseBootstrapSecurityStore implements BootstrapSecurityStore {

    private final CredentialStore credentials;

    public DatabaseBootstrapSecurityStore(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public SecurityInfo getByIdentity(String pskIdentity) {
        return credentials.findByIdentity(CredentialPurpose.BOOTSTRAP, pskIdentity)
                .map(DatabaseBootstrapSecurityStore::toSecurityInfo).orElse(null);
    }

    @Override
    public Iterator<SecurityInfo> getAllByEndpoint(String endpoint) {
        return credentials.findByEndpoint(CredentialPurpose.BOOTSTRAP, endpoint)
                .map(DatabaseBootstrapSecurityStore::toSecurityInfo)
                .map(info -> Collections.singletonList(info).iterator())
                .orElse(Collections.emptyIterator());
    }

    private static SecurityInfo toSecurityInfo(PskCredential credential) {
        return SecurityInfo.newPreSharedKeyInfo(credential.endpoint(), credential.identity(), credential.key());
    }
}
