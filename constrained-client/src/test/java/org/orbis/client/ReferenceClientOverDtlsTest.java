package org.orbis.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.orbis.client.objects.LightState;
import org.orbis.client.support.InTestBootstrapServer;
import org.orbis.client.support.InTestLwM2mServer;

/** A real reference client against a real Leshan server (and bootstrap server) over DTLS-PSK on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceClientOverDtlsTest {

    private static final Duration FAST_DRIFT = Duration.ofMillis(100);

    private InTestLwM2mServer server;
    private final List<ReferenceClient> clients = new ArrayList<>();

    @BeforeAll
    void startServer() {
        server = InTestLwM2mServer.start();
    }

    @AfterEach
    void destroyClients() {
        clients.forEach(client -> client.destroy(false));
        clients.clear();
    }

    @AfterAll
    void stopServerAndCheckNoPropertiesFileWasWritten() {
        server.close();
        assertThat(Path.of("Californium3.properties")).doesNotExist();
    }

    @Test
    void registersOverDtlsPskAndServesDeviceAndTemperatureReads() throws Exception {
        ReferenceClient client = startRegisteredClient("read-1", b -> b);

        ReadResponse device = server.send("read-1", new ReadRequest(3, 0));
        assertThat(device.isSuccess()).isTrue();
        LwM2mObjectInstance deviceInstance = (LwM2mObjectInstance) device.getContent();
        assertThat(deviceInstance.getResource(0).getValue()).isEqualTo("Orbis");
        assertThat(deviceInstance.getResource(1).getValue()).isEqualTo("orbis-reference");
        assertThat((String) deviceInstance.getResource(2).getValue()).startsWith("ORB-");
        assertThat(deviceInstance.getResource(3).getValue()).isEqualTo("1.0.0");
        assertThat(deviceInstance.getResource(16).getValue()).isEqualTo("U");

        ReadResponse temperature = server.send("read-1", new ReadRequest(3303, 0, 5700));
        assertThat(temperature.isSuccess()).isTrue();
        LwM2mSingleResource value = (LwM2mSingleResource) temperature.getContent();
        assertThat(value.getType()).isEqualTo(Type.FLOAT);
        assertThat((Double) value.getValue()).isBetween(15.0, 30.0);
        assertThat(client.isRegistered()).isTrue();
        assertThat(client.registeredServer()).contains(server.uri().toString());
    }

    @Test
    void offersPlainPskWithAes128Ccm8FirstAndTheServerAcceptsIt() throws Exception {
        ReferenceClient client = startRegisteredClient("suite-1", b -> b);

        assertThat(client.negotiatedCipherSuite()).contains("TLS_PSK_WITH_AES_128_CCM_8");
        assertThat(server.negotiatedCipherSuite("suite-1")).contains("TLS_PSK_WITH_AES_128_CCM_8");
    }

    @Test
    void registersWithEcdhePskWhenOnlyThatSuiteIsOffered() throws Exception {
        ReferenceClient client = startRegisteredClient("suite-2",
                b -> b.cipherSuites(List.of(CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256)));

        assertThat(client.negotiatedCipherSuite()).contains("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void acceptsTheDtlsConnectionIdOfAServerThatIssuesOne() throws Exception {
        try (InTestLwM2mServer cidServer = InTestLwM2mServer.start(6)) {
            byte[] key = InTestLwM2mServer.randomKey();
            cidServer.addPsk("cid-1", "cid-1", key);
            cidServer.addPsk("cid-2", "cid-2", key);
            ReferenceClient withCid = ReferenceClient.builder().endpoint("cid-1").server(cidServer.uri()).pskKey(key)
                    .build();
            ReferenceClient withoutCid = ReferenceClient.builder().endpoint("cid-2").server(cidServer.uri())
                    .pskKey(key).connectionIdSupport(false).build();
            clients.add(withCid);
            clients.add(withoutCid);

            withCid.start();
            withoutCid.start();
            cidServer.awaitRegistration("cid-1");
            cidServer.awaitRegistration("cid-2");

            // The client sends its records with the server's 6-byte CID, so a NAT rebinding keeps the session.
            assertThat(cidServer.dtlsContext("cid-1").orElseThrow().getReadConnectionId().length()).isEqualTo(6);
            assertThat(cidServer.dtlsContext("cid-2").orElseThrow().getReadConnectionId()).isNull();
        }
    }

    @Test
    void observedTemperatureNotifiesDriftingValues() throws Exception {
        startRegisteredClient("observe-1", b -> b.driftPeriod(FAST_DRIFT));
        Set<Double> notified = ConcurrentHashMap.newKeySet();
        ObservationListener listener = new NotificationCollector("observe-1", notified);
        server.leshan().getObservationService().addListener(listener);
        try {
            ObserveResponse response = server.send("observe-1", new ObserveRequest(3303, 0, 5700));
            assertThat(response.isSuccess()).isTrue();

            await().atMost(InTestLwM2mServer.TIMEOUT).until(() -> notified.size() >= 3);
            assertThat(notified).allSatisfy(value -> assertThat(value).isBetween(15.0, 30.0));
        } finally {
            server.leshan().getObservationService().removeListener(listener);
        }
    }

    @Test
    void serverWritesSwitchTheLightOnAndDimIt() throws Exception {
        ReferenceClient client = startRegisteredClient("light-1", b -> b);
        List<LightState> heard = new CopyOnWriteArrayList<>();
        client.addListener(new ClientEventListener() {
            @Override
            public void onLightChanged(LightState state) {
                heard.add(state);
            }
        });
        assertThat(client.isLightOn()).isFalse();

        WriteResponse on = server.send("light-1", new WriteRequest(3311, 0, 5850, true));
        WriteResponse dim = server.send("light-1", new WriteRequest(3311, 0, 5851, 40L));

        assertThat(on.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(dim.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(client.isLightOn()).isTrue();
        assertThat(client.dimmer()).isEqualTo(40);
        assertThat(heard).containsExactly(new LightState(true, 100), new LightState(true, 40));
        ReadResponse read = server.send("light-1", new ReadRequest(3311, 0, 5851));
        assertThat(((LwM2mSingleResource) read.getContent()).getValue()).isEqualTo(40L);
    }

    @Test
    void dimmerOutsideZeroToHundredIsRejected() throws Exception {
        ReferenceClient client = startRegisteredClient("light-2", b -> b);

        WriteResponse response = server.send("light-2", new WriteRequest(3311, 0, 5851, 140L));

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(client.dimmer()).isEqualTo(100);
    }

    @Test
    void clientWithTheWrongPskKeyDoesNotRegisterWhileOneWithTheRightKeyDoes() throws Exception {
        server.addPsk("intruder", "intruder", InTestLwM2mServer.randomKey());
        ReferenceClient intruder = ReferenceClient.builder().endpoint("intruder").server(server.uri())
                .pskKey(InTestLwM2mServer.randomKey()).build();
        clients.add(intruder);

        intruder.start();
        startRegisteredClient("honest-1", b -> b);

        // DTLS drops records that fail to decrypt without an alert, so the intruder's handshake just never
        // completes (it would time out after Scandium's retransmissions, ~30 s): check it stays out meanwhile.
        await().during(Duration.ofSeconds(1)).atMost(InTestLwM2mServer.TIMEOUT)
                .until(() -> !intruder.isRegistered() && server.registration("intruder").isEmpty());
    }

    @Test
    void bootstrapsThenRegistersToTheDmServerWithTheHandedOutPsk() throws Exception {
        byte[] bootstrapKey = InTestLwM2mServer.randomKey();
        byte[] dmKey = InTestLwM2mServer.randomKey();
        List<String> bootstrappedBy = new CopyOnWriteArrayList<>();
        try (InTestBootstrapServer bootstrap = InTestBootstrapServer.start()) {
            bootstrap.provision("bs-1", "bs-1-bootstrap", bootstrapKey, server.uri(), "bs-1-dm", dmKey);
            server.addPsk("bs-1", "bs-1-dm", dmKey);
            ReferenceClient client = ReferenceClient.builder().endpoint("bs-1").bootstrapServer(bootstrap.uri())
                    .pskIdentity("bs-1-bootstrap").pskKey(bootstrapKey).build();
            clients.add(client);
            client.addListener(new ClientEventListener() {
                @Override
                public void onBootstrapped(String bootstrapServerUri) {
                    bootstrappedBy.add(bootstrapServerUri);
                }
            });

            client.start();

            Registration registration = server.awaitRegistration("bs-1");
            assertThat(registration.getIdentity().getPskIdentity()).isEqualTo("bs-1-dm");
            assertThat(bootstrappedBy).containsExactly(bootstrap.uri().toString());
            assertThat(client.awaitRegistered(InTestLwM2mServer.TIMEOUT)).isTrue();
            assertThat(client.registeredServer()).contains(server.uri().toString());
        }
    }

    @Test
    void factoryResetSwitchesTheLightOffAndBootstrapsAgain() throws Exception {
        byte[] bootstrapKey = InTestLwM2mServer.randomKey();
        byte[] dmKey = InTestLwM2mServer.randomKey();
        List<String> bootstrappedBy = new CopyOnWriteArrayList<>();
        try (InTestBootstrapServer bootstrap = InTestBootstrapServer.start()) {
            bootstrap.provision("reset-1", "reset-1-bootstrap", bootstrapKey, server.uri(), "reset-1-dm", dmKey);
            server.addPsk("reset-1", "reset-1-dm", dmKey);
            ReferenceClient client = ReferenceClient.builder().endpoint("reset-1").bootstrapServer(bootstrap.uri())
                    .pskIdentity("reset-1-bootstrap").pskKey(bootstrapKey).build();
            clients.add(client);
            client.addListener(new ClientEventListener() {
                @Override
                public void onBootstrapped(String bootstrapServerUri) {
                    bootstrappedBy.add(bootstrapServerUri);
                }
            });
            client.start();
            String firstRegistration = server.awaitRegistration("reset-1").getId();
            server.send("reset-1", new WriteRequest(3311, 0, 5850, true));

            assertThat(server.send("reset-1", new ExecuteRequest(3, 0, 5)).isSuccess()).isTrue();

            await().atMost(InTestLwM2mServer.TIMEOUT).until(() -> bootstrappedBy.size() == 2
                    && server.registration("reset-1").filter(r -> !r.getId().equals(firstRegistration)).isPresent());
            assertThat(client.isLightOn()).isFalse();
        }
    }

    @Test
    void rebootExecutedByTheServerMakesTheClientRegisterAgain() throws Exception {
        startRegisteredClient("reboot-1", b -> b);
        String firstRegistration = server.awaitRegistration("reboot-1").getId();

        assertThat(server.send("reboot-1", new ExecuteRequest(3, 0, 4)).isSuccess()).isTrue();

        await().atMost(InTestLwM2mServer.TIMEOUT).until(() -> server.registration("reboot-1")
                .filter(registration -> !registration.getId().equals(firstRegistration)).isPresent());
    }

    @Test
    void aStoppedClientDeregistersAndRegistersAgainWhenStarted() throws Exception {
        ReferenceClient client = startRegisteredClient("restart-1", b -> b);

        client.stop(true);

        assertThat(server.registration("restart-1")).isEmpty();
        assertThat(client.isRegistered()).isFalse();

        client.start();

        assertThat(client.awaitRegistered(InTestLwM2mServer.TIMEOUT)).isTrue();
        server.awaitRegistration("restart-1");
    }

    @Test
    void destroyDeregistersAndStopsTheClientsOwnThread() throws Exception {
        ReferenceClient client = startRegisteredClient("destroy-1", b -> b);

        client.destroy(true);

        assertThat(server.registration("destroy-1")).isEmpty();
        assertThat(client.isRegistered()).isFalse();
        await().atMost(InTestLwM2mServer.TIMEOUT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("orbis-client-destroy-1")));
    }

    @Test
    void clientsSharingOneExecutorAllRegisterAndLeaveTheExecutorRunning() throws Exception {
        ScheduledExecutorService shared = Executors.newScheduledThreadPool(8);
        try {
            for (int i = 0; i < 3; i++) {
                startRegisteredClient("shared-" + i, b -> b.sharedExecutor(shared).driftPeriod(FAST_DRIFT));
            }
            clients.forEach(client -> client.destroy(true));
            assertThat(shared.isShutdown()).isFalse();
            assertThat(server.registration("shared-0")).isEmpty();
        } finally {
            shared.shutdownNow();
        }
    }

    private ReferenceClient startRegisteredClient(String endpoint, UnaryOperator<ReferenceClientBuilder> custom)
            throws InterruptedException {
        return server.startRegisteredClient(endpoint, custom, clients::add);
    }

    /** Collects the Float values notified for /3303/0/5700 of one endpoint. */
    private record NotificationCollector(String endpoint, Set<Double> values) implements ObservationListener {

        @Override
        public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
            if (registration.getEndpoint().equals(endpoint) && response.getContent() instanceof LwM2mSingleResource r) {
                values.add((Double) r.getValue());
            }
        }

        @Override
        public void newObservation(Observation observation, Registration registration) {
        }

        @Override
        public void cancelled(Observation observation) {
        }

        @Override
        public void onResponse(CompositeObservation observation, Registration registration,
                ObserveCompositeResponse response) {
        }

        @Override
        public void onError(Observation observation, Registration registration, Exception error) {
        }
    }
}
