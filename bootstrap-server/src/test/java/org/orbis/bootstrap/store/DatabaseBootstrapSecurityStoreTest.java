package org.orbis.bootstrap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.bootstrap.provisioning.DeviceProvisioning;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.bootstrap.testing.CredentialDatabaseTest;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

/** What the bootstrap server's DTLS handshake and session authorisation get from the database. */
class DatabaseBootstrapSecurityStoreTest extends CredentialDatabaseTest {

    private static final byte[] BOOTSTRAP_KEY = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
    private static final byte[] DM_KEY = HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000");

    private DatabaseBootstrapSecurityStore securityStore;

    @Override
    protected DatabaseSettings settings() {
        return TestDatabases.h2();
    }

    @BeforeEach
    void provisionOneDevice() {
        new DeviceProvisioning(credentials, new SecureRandom())
                .provision(new ProvisioningRequest("dev-1", "dev-1-bs", BOOTSTRAP_KEY, "dev-1-dm", DM_KEY));
        securityStore = new DatabaseBootstrapSecurityStore(credentials);
    }

    @Test
    void bootstrapIdentityGivesTheDevicesBootstrapKey() {
        assertThat(securityStore.getByIdentity("dev-1-bs"))
                .isEqualTo(SecurityInfo.newPreSharedKeyInfo("dev-1", "dev-1-bs", BOOTSTRAP_KEY));
    }

    @Test
    void dmIdentityIsUnknownToTheBootstrapServer() {
        assertThat(securityStore.getByIdentity("dev-1-dm")).isNull();
    }

    @Test
    void unknownIdentityHasNoSecurityInfo() {
        assertThat(securityStore.getByIdentity("nobody")).isNull();
    }

    @Test
    void endpointHasExactlyItsBootstrapCredential() {
        assertThat(securityStore.getAllByEndpoint("dev-1")).toIterable()
                .containsExactly(SecurityInfo.newPreSharedKeyInfo("dev-1", "dev-1-bs", BOOTSTRAP_KEY));
    }

    @Test
    void unprovisionedEndpointHasNoCredentials() {
        assertThat(securityStore.getAllByEndpoint("dev-2")).toIterable().isEmpty();
    }
}
