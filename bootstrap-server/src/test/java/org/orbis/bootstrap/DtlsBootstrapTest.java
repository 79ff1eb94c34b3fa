package org.orbis.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.leshan.client.californium.LeshanClient;
import org.eclipse.leshan.client.californium.LeshanClientBuilder;
import org.eclipse.leshan.client.engine.DefaultRegistrationEngineFactory;
import org.eclipse.leshan.client.object.Device;
import org.eclipse.leshan.client.object.Security;
import org.eclipse.leshan.client.object.Server;
import org.eclipse.leshan.client.observer.LwM2mClientObserverAdapter;
import org.eclipse.leshan.client.resource.ObjectsInitializer;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.LwM2mId;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.request.BootstrapRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.orbis.bootstrap.provisioning.DeviceProvisioning;
import org.orbis.bootstrap.provisioning.ProvisionedDevice;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.bootstrap.testing.CredentialDatabaseTest;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

/**
 * A real Leshan client bootstraps over DTLS-PSK from the Orbis bootstrap server, whose PSKs and configurations come
 * from the database: the device ends up holding its DM server credentials.
 */
@Tag("slow")
class DtlsBootstrapTest extends CredentialDatabaseTest {

    /** Nothing answers there; the client's registration attempt after bootstrap is not part of these tests. */
    private static final String DM_SERVER_URI = "coaps://127.0.0.1:9";

    private OrbisBootstrapServer server;
    private Set<Thread> threadsBefore;
    private final List<LeshanClient> clients = new ArrayList<>();

    @Override
    protected DatabaseSettings settings() {
        return TestDatabases.h2();
    }

    @BeforeEach
    void startBootstrapServer() {
        threadsBefore = liveThreads();
        server = OrbisBootstrapServer.builder()
                .credentials(credentials)
                .secureAddress(new InetSocketAddress("127.0.0.1", 0))
                .dmServerUri(DM_SERVER_URI)
                .registrationLifetime(Duration.ofMinutes(5))
                .build();
        server.start();
    }

    @AfterEach
    void stopEverything() {
        clients.forEach(client -> client.destroy(false));
        server.close();
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(liveThreads())
                .as("threads the server and clients left behind").filteredOn(t -> !threadsBefore.contains(t))
                .extracting(Thread::getName).isEmpty());
    }

    @Test
    void provisionedDeviceBootstrapsAndReceivesItsDmServerCredentials() {
        ProvisionedDevice device = new DeviceProvisioning(credentials, new SecureRandom())
                .provision(ProvisioningRequest.generated("dtls-dev-1"));
        BootstrapOutcome outcome = new BootstrapOutcome();
        LeshanClient client = startClient("dtls-dev-1", device.bootstrap().identity(), device.bootstrap().key(), outcome);

        await().atMost(Duration.ofSeconds(30)).untilTrue(outcome.succeeded);

        LwM2mObjectInstance dmSecurity = read(client, LwM2mId.SECURITY, 1);
        assertThat(dmSecurity.getResource(0).getValue()).isEqualTo(DM_SERVER_URI);
        assertThat(dmSecurity.getResource(1).getValue()).isEqualTo(false);
        assertThat(new String((byte[]) dmSecurity.getResource(3).getValue(), StandardCharsets.UTF_8))
                .isEqualTo(device.server().identity());
        assertThat((byte[]) dmSecurity.getResource(5).getValue()).isEqualTo(device.server().key());
        assertThat(dmSecurity.getResource(10).getValue()).isEqualTo(123L);

        LwM2mObjectInstance bootstrapSecurity = read(client, LwM2mId.SECURITY, 0);
        assertThat(bootstrapSecurity.getResource(0).getValue())
                .isEqualTo("coaps://127.0.0.1:" + server.securedAddress().getPort());
        assertThat(bootstrapSecurity.getResource(1).getValue()).isEqualTo(true);
        assertThat((byte[]) bootstrapSecurity.getResource(5).getValue()).isEqualTo(device.bootstrap().key());

        LwM2mObjectInstance dmServer = read(client, LwM2mId.SERVER, 0);
        assertThat(dmServer.getResource(0).getValue()).isEqualTo(123L);
        assertThat(dmServer.getResource(1).getValue()).isEqualTo(300L);
        assertThat(dmServer.getResource(7).getValue()).isEqualTo("U");
    }

    @Test
    void deviceWithTheWrongKeyIsNotBootstrapped() {
        new DeviceProvisioning(credentials, new SecureRandom()).provision(ProvisioningRequest.generated("dtls-dev-2"));
        BootstrapOutcome outcome = new BootstrapOutcome();
        LeshanClient client = startClient("dtls-dev-2", "dtls-dev-2", new byte[16], outcome);

        await().atMost(Duration.ofSeconds(30)).until(() -> outcome.failures.get() > 0);

        assertThat(outcome.succeeded).isFalse();
        assertThat(client.getObjectTree().getObjectEnabler(LwM2mId.SECURITY).getAvailableInstanceIds())
                .as("the device still only knows its bootstrap server").containsExactly(0);
    }

    private LeshanClient startClient(String endpoint, String identity, byte[] key, BootstrapOutcome outcome) {
        String bootstrapUri = "coaps://127.0.0.1:" + server.securedAddress().getPort();
        ObjectsInitializer objects = new ObjectsInitializer();
        objects.setInstancesForObject(LwM2mId.SECURITY,
                Security.pskBootstrap(bootstrapUri, identity.getBytes(StandardCharsets.UTF_8), key));
        objects.setClassForObject(LwM2mId.SERVER, Server.class);
        objects.setInstancesForObject(LwM2mId.DEVICE, new Device("Orbis", "test", endpoint));
        LeshanClientBuilder builder = new LeshanClientBuilder(endpoint);
        builder.setLocalAddress("127.0.0.1", 0);
        builder.setObjects(objects.createAll());
        builder.setRegistrationEngineFactory(new DefaultRegistrationEngineFactory().setRequestTimeoutInMs(5_000)
                .setRetryWaitingTimeInMs(60_000));
        LeshanClient client = builder.build();
        client.addObserver(outcome);
        clients.add(client);
        client.start();
        return client;
    }

    private static LwM2mObjectInstance read(LeshanClient client, int objectId, int instanceId) {
        return (LwM2mObjectInstance) client.getObjectTree().getObjectEnabler(objectId)
                .read(ServerIdentity.SYSTEM, new ReadRequest(objectId, instanceId)).getContent();
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** What the client saw of its bootstrap attempts. */
    private static final class BootstrapOutcome extends LwM2mClientObserverAdapter {
        final AtomicBoolean succeeded = new AtomicBoolean();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void onBootstrapSuccess(ServerIdentity bsserver, BootstrapRequest request) {
            succeeded.set(true);
        }

        @Override
        public void onBootstrapFailure(ServerIdentity bsserver, BootstrapRequest request, ResponseCode responseCode,
                String errorMessage, Exception cause) {
            failures.incrementAndGet();
        }

        @Override
        public void onBootstrapTimeout(ServerIdentity bsserver, BootstrapRequest request) {
            failures.incrementAndGet();
        }
    }
}
