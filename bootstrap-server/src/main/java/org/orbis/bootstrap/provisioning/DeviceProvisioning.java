package org.orbis.bootstrap.provisioning;

import java.security.SecureRandom;
import java.util.List;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.PskCredential;
import org.orbis.world.graph.NodeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Issues the bootstrap and DM-server credentials of new devices, atomically. Thread-safe. */
public final class DeviceProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceProvisioning.class);
    private static final int GENERATED_KEY_BYTES = 16;

    private final CredentialStore credentials;
    private final SecureRandom random;

    public DeviceProvisioning(CredentialStore credentials, SecureRandom random) {
        this.credentials = credentials;
        this.random = random;
    }

    /**
     * Creates the device with both credentials in one transaction.
     *
     * @throws IllegalArgumentException if the endpoint name or a supplied credential is malformed
     * @throws org.orbis.world.credentials.DuplicateCredentialException if the endpoint or an identity is taken
     */
    public ProvisionedDevice provision(ProvisioningRequest request) {
        String endpoint = NodeKey.requireValidEndpoint(request.endpoint());
        PskCredential bootstrap = credential(endpoint, CredentialPurpose.BOOTSTRAP, request.bootstrapPskIdentity(),
                request.bootstrapPskKey());
        PskCredential server = credential(endpoint, CredentialPurpose.DM, request.serverPskIdentity(),
                request.serverPskKey());
        credentials.provision(endpoint, List.of(bootstrap, server));
        LOG.info("provisioned device {} (bootstrap PSK identity '{}', DM PSK identity '{}')", endpoint,
                bootstrap.identity(), server.identity());
        return new ProvisionedDevice(endpoint, bootstrap, server);
    }

    private PskCredential credential(String endpoint, CredentialPurpose purpose, String identity, byte[] key) {
        byte[] chosenKey = key;
        if (chosenKey == null) {
            chosenKey = new byte[GENERATED_KEY_BYTES];
            random.nextBytes(chosenKey);
        }
        return new PskCredential(endpoint, purpose, identity == null ? endpoint : identity, chosenKey);
    }
}
