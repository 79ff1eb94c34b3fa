package org.orbis.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.store.DatabaseSettings;

/**
 * Hostile traffic on the DTLS port does not cost honest devices anything: while 1,000 malformed datagrams per second
 * (random bytes, truncated and forged DTLS records) hit the DM server, 50 honest clients keep their notifications
 * flowing, every notification the server receives is committed to the world model, and every client ends with the
 * world model showing its latest reading. (Observe itself may skip an intermediate reading when a newer one is ready
 * before the previous confirmable notification was acknowledged — RFC 7641 — so the count that must match is what
 * the server received, not every sample the sensors took.)
 */
@Tag("slow")
class DatagramFloodTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final Duration FLOOD = Duration.ofSeconds(10);
    private static final int CLIENTS = 50;
    private static final int DATAGRAMS_PER_SECOND = 1_000;
    private static final ResourcePath TEMPERATURE = ResourcePath.parse("/3303/0/5700");

    @TempDir
    Path dataDir;
    PlatformFixture fixture;

    @BeforeEach
    void start() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void honestDevicesLoseNoReadingWhileMalformedDatagramsFloodTheDtlsPort() throws Exception {
        List<ReferenceClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(fixture.bootstrapClient(fixture.provision(String.format("honest-%02d", i))));
        }
        for (ReferenceClient client : clients) {
            assertThat(client.awaitRegistered(WITHIN)).as(client.endpoint()).isTrue();
        }
        await().atMost(WITHIN).until(() -> clients.stream().allMatch(client ->
                fixture.platform().world().value(client.endpoint(), TEMPERATURE).isPresent()));

        Map<String, Long> samplesBefore = new HashMap<>();
        Map<String, Long> revisionsBefore = new HashMap<>();
        Map<String, AtomicLong> received = new ConcurrentHashMap<>();
        Map<String, Object> lastValue = new ConcurrentHashMap<>();
        ObservationListener counter = new ObservationListener() {
            @Override
            public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
                if (observation.getPath().toString().equals("/3303/0")
                        && response.getContent() instanceof LwM2mObjectInstance instance
                        && instance.getResource(5700) != null) {
                    // a value equal to the last one is not a change (a retransmission, a min/max-only update)
                    Object value = instance.getResource(5700).getValue();
                    if (!value.equals(lastValue.put(registration.getEndpoint(), value))) {
                        received.computeIfAbsent(registration.getEndpoint(), endpoint -> new AtomicLong()).incrementAndGet();
                    }
                }
            }

            @Override
            public void onResponse(CompositeObservation observation, Registration registration,
                    ObserveCompositeResponse response) {
            }

            @Override
            public void onError(Observation observation, Registration registration, Exception error) {
            }

            @Override
            public void newObservation(Observation observation, Registration registration) {
            }

            @Override
            public void cancelled(Observation observation) {
            }
        };
        for (ReferenceClient client : clients) {
            client.holdSensors(true);
        }
        awaitWorldMatchesClients(clients);
        for (ReferenceClient client : clients) {
            samplesBefore.put(client.endpoint(), client.temperatureSamples());
            revisionsBefore.put(client.endpoint(), revision(client));
            lastValue.put(client.endpoint(), client.temperature());
        }
        fixture.platform().dmServer().leshan().getObservationService().addListener(counter);
        for (ReferenceClient client : clients) {
            client.holdSensors(false);
        }

        long sent = flood(fixture.platform().dmServer().securedAddress().getPort());

        for (ReferenceClient client : clients) {
            client.holdSensors(true);
        }
        awaitWorldMatchesClients(clients);
        fixture.platform().dmServer().leshan().getObservationService().removeListener(counter);
        long readings = 0;
        long notifications = 0;
        for (ReferenceClient client : clients) {
            long taken = client.temperatureSamples() - samplesBefore.get(client.endpoint());
            long committed = revision(client) - revisionsBefore.get(client.endpoint());
            long arrived = received.getOrDefault(client.endpoint(), new AtomicLong()).get();
            assertThat(committed).as("%s: temperature changes received during the flood vs committed", client.endpoint())
                    .isEqualTo(arrived);
            readings += taken;
            notifications += arrived;
        }
        assertThat(sent).isGreaterThanOrEqualTo(DATAGRAMS_PER_SECOND * FLOOD.toSeconds() * 8 / 10);
        assertThat(readings).as("the honest fleet kept sampling during the flood").isGreaterThan(CLIENTS * 10L);
        assertThat(notifications).as("most readings reached the server despite the flood").isGreaterThan(readings / 2);
        assertThat(fixture.platform().dmServer().dtlsStats().recordsDropped()).isPositive();
        assertThat(clients).allMatch(ReferenceClient::isRegistered);
    }

    private void awaitWorldMatchesClients(List<ReferenceClient> clients) {
        await().atMost(WITHIN).untilAsserted(() -> {
            for (ReferenceClient client : clients) {
                assertThat(fixture.platform().world().value(client.endpoint(), TEMPERATURE).orElseThrow().value().json())
                        .as(client.endpoint()).isEqualTo(client.temperature());
            }
        });
    }

    private long revision(ReferenceClient client) {
        return fixture.platform().world().value(client.endpoint(), TEMPERATURE).orElseThrow().revision();
    }

    /** Sends malformed datagrams at the target rate for the flood duration; returns how many were sent. */
    private static long flood(int port) throws Exception {
        Random random = new Random(20261123);
        AtomicLong sent = new AtomicLong();
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        long interval = 1_000_000_000L / DATAGRAMS_PER_SECOND;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            long start = System.nanoTime();
            long end = start + FLOOD.toNanos();
            long next = start;
            while (System.nanoTime() < end) {
                byte[] payload = malformed(random);
                socket.send(new DatagramPacket(payload, payload.length, target));
                sent.incrementAndGet();
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
        }
        return sent.get();
    }

    /** Random bytes, or something that starts like a DTLS record (handshake, application data, alert) and lies. */
    private static byte[] malformed(Random random) {
        byte[] payload = new byte[1 + random.nextInt(300)];
        random.nextBytes(payload);
        switch (random.nextInt(4)) {
            case 0 -> {
                // plain garbage
            }
            case 1 -> forgeHeader(payload, 22, random); // handshake record
            case 2 -> forgeHeader(payload, 23, random); // application data for an unknown epoch
            default -> forgeHeader(payload, 21, random); // alert
        }
        return payload;
    }

    private static void forgeHeader(byte[] payload, int contentType, Random random) {
        if (payload.length < 13) {
            return;
        }
        payload[0] = (byte) contentType;
        payload[1] = (byte) 0xfe;
        payload[2] = (byte) 0xfd;
        int length = random.nextBoolean() ? payload.length - 13 : random.nextInt(65536);
        payload[11] = (byte) (length >> 8);
        payload[12] = (byte) length;
    }
}
