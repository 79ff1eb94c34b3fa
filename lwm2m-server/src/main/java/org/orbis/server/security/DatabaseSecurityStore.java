package org.orbis.server.security;

import org.eclipse.leshan.server.security.SecurityInfo;
import org.eclipse.leshan.server.security.SecurityStore;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.PskCredential;

/** The DM-server PSKs of provisioned devices. */
public final class DatabaseSecurityStore implements SecurityStore {

    private final CredentialStore credentials;

    public DatabaseSecurityStore(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public SecurityInfo getByEndpoint(String endpoint) {
        return credentials.findByEndpoint(CredentialPurpose.DM, endpoint).map(DatabaseSecurityStore::toSecurityInfo)
                .orElse(null);
    }

    @Override
    public SecurityInfo getByIdentity(String pskIdentity) {
        return credentials.findByIdentity(CredentialPurpose.DM, pskIdentity).map(DatabaseSecurityStore::toSecurityInfo)
                .orElse(null);
    }

    private static SecurityInfo toSecurityInfo(PskCredential credential) {
        return SecurityInfo.newPreSharedKeyInfo(credential.endpoint(), credential.identity(), credential.key());
    }
}
