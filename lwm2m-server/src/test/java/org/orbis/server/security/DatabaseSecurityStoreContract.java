package org.orbis.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.leshan.server.security.SecurityInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.PskCredential;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;

/**
 * What the DM server's DTLS handshake gets from the database: the DM PSK of a provisioned device, never its bootstrap
 * PSK. Run once per database backend by the subclasses.
 */
abstract class DatabaseSecurityStoreContract {

    private static final byte[] BOOTSTRAP_KEY = HexFormat.of().parseHex("b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");
    private static final byte[] DM_KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    private Database database;
    private CredentialStore credentials;
    private DatabaseSecurityStore securityStore;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        credentials = new CredentialStore(new WorldStore(database, Clock.systemUTC()));
        securityStore = new DatabaseSecurityStore(credentials);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void dmIdentityGivesTheDevicesPreSharedKey() {
        provision("dev-1", "dev-1-bs", BOOTSTRAP_KEY, "dev-1-dm", DM_KEY);

        SecurityInfo info = securityStore.getByIdentity("dev-1-dm");

        assertThat(info).isNotNull();
        assertThat(info.usePSK()).isTrue();
        assertThat(info.getEndpoint()).isEqualTo("dev-1");
        assertThat(info.getIdentity()).isEqualTo("dev-1-dm");
        assertThat(info.getPreSharedKey()).isEqualTo(DM_KEY);
    }

    @Test
    void endpointGivesTheSameDmPreSharedKey() {
        provision("dev-1", "dev-1-bs", BOOTSTRAP_KEY, "dev-1-dm", DM_KEY);

        assertThat(securityStore.getByEndpoint("dev-1")).isEqualTo(securityStore.getByIdentity("dev-1-dm"))
                .isEqualTo(SecurityInfo.newPreSharedKeyInfo("dev-1", "dev-1-dm", DM_KEY));
    }

    @Test
    void bootstrapIdentityIsUnknownToTheDmServer() {
        provision("dev-1", "dev-1-bs", BOOTSTRAP_KEY, "dev-1-dm", DM_KEY);

        assertThat(securityStore.getByIdentity("dev-1-bs")).isNull();
    }

    @Test
    void identityUsedTowardsBothServersYieldsTheDmKey() {
        provision("dev-1", "dev-1", BOOTSTRAP_KEY, "dev-1", DM_KEY);

        assertThat(securityStore.getByIdentity("dev-1").getPreSharedKey()).isEqualTo(DM_KEY);
        assertThat(securityStore.getByEndpoint("dev-1").getPreSharedKey()).isEqualTo(DM_KEY);
    }

    @Test
    void unknownIdentityAndEndpointHaveNoSecurityInfo() {
        provision("dev-1", "dev-1-bs", BOOTSTRAP_KEY, "dev-1-dm", DM_KEY);

        assertThat(securityStore.getByIdentity("nobody")).isNull();
        assertThat(securityStore.getByEndpoint("dev-2")).isNull();
    }

    @Test
    void eachDeviceGetsItsOwnKey() {
        byte[] otherKey = HexFormat.of().parseHex("ffeeddccbbaa99887766554433221100");
        provision("dev-1", "dev-1-bs", BOOTSTRAP_KEY, "dev-1-dm", DM_KEY);
        provision("dev-2", "dev-2-bs", BOOTSTRAP_KEY, "dev-2-dm", otherKey);

        assertThat(securityStore.getByIdentity("dev-2-dm").getEndpoint()).isEqualTo("dev-2");
        assertThat(securityStore.getByIdentity("dev-2-dm").getPreSharedKey()).isEqualTo(otherKey);
        assertThat(securityStore.getByEndpoint("dev-1").getPreSharedKey()).isEqualTo(DM_KEY);
    }

    private void provision(String endpoint, String bootstrapIdentity, byte[] bootstrapKey, String dmIdentity,
            byte[] dmKey) {
        credentials.provision(endpoint, List.of(
                new PskCredential(endpoint, CredentialPurpose.BOOTSTRAP, bootstrapIdentity, bootstrapKey),
                new PskCredential(endpoint, CredentialPurpose.DM, dmIdentity, dmKey)));
    }
}
