package org.orbis.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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
import org.eclipse.leshan.core.request.RegisterRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.orbis.server.OrbisDmServer;
import org.orbis.server.observe.ObservePolicy;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.PskCredential;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.Database;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldWriter;
import org.orbis.world.testing.TestDatabases;

/**
 * Real Leshan clients register over DTLS-PSK with the DM server, whose PSKs come from the database: the right PSK gets
 * the device online, another device's PSK does not let a client register under a different endpoint name.
 */
@Tag("slow")
class DtlsRegistrationTest {

    private static final byte[] KEY_1 = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] KEY_2 = HexFormat.of().parseHex("101112131415161718191a1b1c1d1e1f");

    private Set<Thread> threadsBefore;
    private Database database;
    private WorldStore store;
    private WorldWriter writer;
    private OrbisDmServer server;
    private final List<LeshanClient> clients = new ArrayList<>();

    @BeforeEach
    void startDmServer() {
        threadsBefore = liveThreads();
        database = Database.open(TestDatabases.h2());
        store = new WorldStore(database, Clock.systemUTC());
        writer = new WorldWriter(store, 1000, 100);
        CredentialStore credentials = new CredentialStore(store);
        provision(credentials, "dtls-dev-1", "dtls-dev-1-dm", KEY_1);
        provision(credentials, "dtls-dev-2", "dtls-dev-2-dm", KEY_2);
        server = OrbisDmServer.builder()
                .world(store, writer)
                .credentials(credentials)
                .secureAddress(new InetSocketAddress("127.0.0.1", 0))
                .observePolicy(ObservePolicy.none())
                .build();
        server.start();
    }

    @AfterEach
    void stopEverything() {
        clients.forEach(client -> client.destroy(false));
        server.close();
        writer.close();
        database.close();
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(liveThreads())
                .as("threads the server and clients left behind").filteredOn(t -> !threadsBefore.contains(t))
                .extracting(Thread::getName).isEmpty());
    }

    @Test
    void deviceWithItsDmKeyRegistersAndIsOnline() {
        RegistrationOutcome outcome = new RegistrationOutcome();
        startClient("dtls-dev-1", "dtls-dev-1-dm", KEY_1, outcome);

        await().atMost(Duration.ofSeconds(30)).until(() -> outcome.registrationId.get() != null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(store.device("dtls-dev-1"))
                .hasValueSatisfying(device -> {
                    assertThat(device.state()).isEqualTo(DeviceState.ONLINE);
                    // the client knows its registration by location, /rd/<registration id>
                    assertThat(outcome.registrationId.get()).isEqualTo("/rd/" + device.registration().registrationId());
                }));
    }

    @Test
    void anotherDevicesKeyDoesNotRegisterUnderThisEndpoint() {
        RegistrationOutcome outcome = new RegistrationOutcome();
        startClient("dtls-dev-2", "dtls-dev-1-dm", KEY_1, outcome);

        await().atMost(Duration.ofSeconds(30)).until(() -> outcome.failure.get() != null);

        assertThat(outcome.failure.get()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(outcome.registrationId.get()).isNull();
        assertThat(store.device("dtls-dev-2")).hasValueSatisfying(
                device -> assertThat(device.state()).isEqualTo(DeviceState.NEVER));
    }

    private void startClient(String endpoint, String identity, byte[] key, RegistrationOutcome outcome) {
        String serverUri = "coaps://127.0.0.1:" + server.securedAddress().getPort();
        ObjectsInitializer objects = new ObjectsInitializer();
        objects.setInstancesForObject(LwM2mId.SECURITY,
                Security.psk(serverUri, 123, identity.getBytes(StandardCharsets.UTF_8), key));
        objects.setInstancesForObject(LwM2mId.SERVER, new Server(123, 300));
        objects.setInstancesForObject(LwM2mId.DEVICE, new Device("Orbis", "test", endpoint));
        LeshanClientBuilder builder = new LeshanClientBuilder(endpoint);
        builder.setLocalAddress("127.0.0.1", 0);
        builder.setObjects(objects.createAll());
        builder.setRegistrationEngineFactory(new DefaultRegistrationEngineFactory().setRequestTimeoutInMs(10_000)
                .setRetryWaitingTimeInMs(60_000));
        LeshanClient client = builder.build();
        client.addObserver(outcome);
        clients.add(client);
        client.start();
    }

    private static void provision(CredentialStore credentials, String endpoint, String dmIdentity, byte[] dmKey) {
        credentials.provision(endpoint, List.of(
                new PskCredential(endpoint, CredentialPurpose.BOOTSTRAP, endpoint + "-bs", new byte[16]),
                new PskCredential(endpoint, CredentialPurpose.DM, dmIdentity, dmKey)));
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** What the client saw of its registration attempts. */
    private static final class RegistrationOutcome extends LwM2mClientObserverAdapter {
        final AtomicReference<String> registrationId = new AtomicReference<>();
        final AtomicReference<ResponseCode> failure = new AtomicReference<>();

        @Override
        public void onRegistrationSuccess(ServerIdentity server, RegisterRequest request, String id) {
            registrationId.set(id);
        }

        @Override
        public void onRegistrationFailure(ServerIdentity server, RegisterRequest request, ResponseCode responseCode,
                String errorMessage, Exception cause) {
            failure.compareAndSet(null, responseCode);
        }
    }
}
