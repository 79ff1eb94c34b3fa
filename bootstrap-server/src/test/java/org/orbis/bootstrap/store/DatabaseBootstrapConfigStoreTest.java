package org.orbis.bootstrap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.leshan.core.SecurityMode;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig.ServerConfig;
import org.eclipse.leshan.server.bootstrap.BootstrapConfig.ServerSecurity;
import org.eclipse.leshan.server.bootstrap.ConfigurationChecker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.bootstrap.provisioning.DeviceProvisioning;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.bootstrap.testing.CredentialDatabaseTest;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

/** The bootstrap configuration a provisioned device receives, built from the database. */
class DatabaseBootstrapConfigStoreTest extends CredentialDatabaseTest {

    private static final byte[] BOOTSTRAP_KEY = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
    private static final byte[] DM_KEY = HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000");
    private static final BootstrapTargets TARGETS = new BootstrapTargets("coaps://bs.example.com:5784",
            "coaps://dm.example.com:5684", Duration.ofMinutes(5));

    private final AtomicReference<BootstrapTargets> targets = new AtomicReference<>(TARGETS);
    private DatabaseBootstrapConfigStore configStore;

    @Override
    protected DatabaseSettings settings() {
        return TestDatabases.h2();
    }

    @BeforeEach
    void provisionOneDevice() {
        new DeviceProvisioning(credentials, new SecureRandom())
                .provision(new ProvisioningRequest("dev-1", "dev-1-bs", BOOTSTRAP_KEY, "dev-1-dm", DM_KEY));
        configStore = new DatabaseBootstrapConfigStore(credentials, targets::get);
    }

    @Test
    void bootstrapWipesTheSecurityAndServerObjectsFirst() {
        assertThat(bootstrap("dev-1").toDelete).containsExactly("/0", "/1");
    }

    @Test
    void deviceKeepsAnEntryForTheBootstrapServerWithItsBootstrapKey() {
        ServerSecurity bootstrapEntry = bootstrap("dev-1").security.get(0);

        assertThat(bootstrapEntry.uri).isEqualTo("coaps://bs.example.com:5784");
        assertThat(bootstrapEntry.bootstrapServer).isTrue();
        assertThat(bootstrapEntry.securityMode).isEqualTo(SecurityMode.PSK);
        assertThat(new String(bootstrapEntry.publicKeyOrId, StandardCharsets.UTF_8)).isEqualTo("dev-1-bs");
        assertThat(bootstrapEntry.secretKey).isEqualTo(BOOTSTRAP_KEY);
    }

    @Test
    void deviceIsSentToTheDmServerWithItsDmCredentials() {
        ServerSecurity dmEntry = bootstrap("dev-1").security.get(1);

        assertThat(dmEntry.uri).isEqualTo("coaps://dm.example.com:5684");
        assertThat(dmEntry.bootstrapServer).isFalse();
        assertThat(dmEntry.securityMode).isEqualTo(SecurityMode.PSK);
        assertThat(new String(dmEntry.publicKeyOrId, StandardCharsets.UTF_8)).isEqualTo("dev-1-dm");
        assertThat(dmEntry.secretKey).isEqualTo(DM_KEY);
        assertThat(dmEntry.serverId).isEqualTo(123).isEqualTo(DatabaseBootstrapConfigStore.DM_SHORT_SERVER_ID);
    }

    @Test
    void dmServerObjectHasShortId123TheConfiguredLifetimeAndUdpBinding() {
        BootstrapConfig config = bootstrap("dev-1");

        assertThat(config.security).containsOnlyKeys(0, 1);
        assertThat(config.servers).containsOnlyKeys(0);
        ServerConfig dmServer = config.servers.get(0);
        assertThat(dmServer.shortId).isEqualTo(123);
        assertThat(dmServer.lifetime).isEqualTo(300);
        assertThat(dmServer.binding).containsExactly(BindingMode.U);
    }

    @Test
    void configurationPassesLeshansOwnChecks() {
        BootstrapConfig config = bootstrap("dev-1");

        assertThatCode(() -> new ConfigurationChecker().verify(config)).doesNotThrowAnyException();
    }

    @Test
    void targetsAreReadAtEachBootstrap() {
        bootstrap("dev-1");
        targets.set(new BootstrapTargets("coaps://bs.example.com:15784", "coaps://dm2.example.com:5684",
                Duration.ofHours(1)));

        BootstrapConfig config = bootstrap("dev-1");

        assertThat(config.security.get(0).uri).isEqualTo("coaps://bs.example.com:15784");
        assertThat(config.security.get(1).uri).isEqualTo("coaps://dm2.example.com:5684");
        assertThat(config.servers.get(0).lifetime).isEqualTo(3600);
    }

    @Test
    void unprovisionedEndpointGetsNoConfiguration() {
        assertThat(bootstrap("dev-2")).isNull();
    }

    private BootstrapConfig bootstrap(String endpoint) {
        Identity device = Identity.psk(new InetSocketAddress(InetAddress.getLoopbackAddress(), 56830), endpoint + "-bs");
        return configStore.get(endpoint, device, null);
    }
}
