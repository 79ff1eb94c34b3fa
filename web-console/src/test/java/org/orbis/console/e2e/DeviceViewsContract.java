package org.orbis.console.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.ClientEventListener;
import org.orbis.client.ReferenceClient;
import org.orbis.client.ReferenceClientBuilder;
import org.orbis.client.objects.WorldViewSnapshot;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.DeviceCredentials;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.console.testing.UdpRelay;
import org.orbis.server.operations.OperationResult;
import org.orbis.server.views.DeviceViewDelivery;
import org.orbis.world.store.DatabaseSettings;

/**
 * Devices that see the part of the world that concerns them, over real DTLS: six reference clients in two zones, each
 * given a view of "the temperatures of the other devices of my zone"; Orbis keeps every copy current in the devices'
 * World View objects. Runs on H2 and on a real PostgreSQL.
 */
abstract class DeviceViewsContract {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String ZONE_VIEW = "{\"query\":\"within 2 of $self via in and path=*/3303/*/5700\",\"minInterval\":\"200ms\"}";

    @TempDir
    Path dataDir;
    PlatformFixture fixture;
    final List<ReferenceClient> zoneA = new ArrayList<>();
    final List<ReferenceClient> zoneB = new ArrayList<>();

    abstract DatabaseSettings database(Path dataDir);

    @BeforeEach
    void start() {
        fixture = new PlatformFixture(database(dataDir),
                settings -> settings.withAwakeTime(Duration.ofMillis(800))).start();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aTemperatureChangeReachesTheOtherDevicesOfItsZoneWithinTwoSecondsAndNoOneElse() throws Exception {
        placeSixDevices(Set.of());
        ReferenceClient changing = zoneA.get(0);
        awaitEveryCopyDelivered();
        long zoneBUpdates = zoneB.stream().mapToLong(ReferenceClient::worldViewUpdates).sum();

        long started = System.nanoTime();
        changing.simulateTemperature(27.75);
        String key = "device/" + changing.endpoint() + "/3303/0/5700";
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() -> zoneA.stream()
                .filter(client -> client != changing).allMatch(client -> "27.75".equals(view(client).values().get(key))));
        long delayMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(delayMs).as("delivered to the two others of the zone within 2 s").isLessThan(2_000);
        assertThat(zoneB.stream().mapToLong(ReferenceClient::worldViewUpdates).sum())
                .as("the other zone received nothing").isEqualTo(zoneBUpdates);
        for (ReferenceClient client : zoneB) {
            assertThat(view(client).values()).doesNotContainKey(key);
        }
    }

    @Test
    void aSleepingDeviceReceivesOnlyTheLatestCopyWhenItWakes() throws Exception {
        placeSixDevices(Set.of("a-2"));
        ReferenceClient sleeper = zoneA.stream().filter(client -> client.endpoint().equals("a-2")).findFirst().orElseThrow();
        await().atMost(WITHIN).until(() -> fixture.api().get("/api/devices/a-2").json().get("state").asText().equals("sleeping"));
        long before = sleeper.worldViewUpdates();

        ReferenceClient changing = zoneA.get(0);
        String key = "device/" + changing.endpoint() + "/3303/0/5700";
        changing.simulateTemperature(18.5);
        await().atMost(WITHIN).until(() -> "18.5".equals(view(zoneA.get(1)).values().get(key)));
        changing.simulateTemperature(19.25);
        await().atMost(WITHIN).until(() -> "19.25".equals(view(zoneA.get(1)).values().get(key)));
        assertThat(sleeper.worldViewUpdates()).as("nothing reaches a sleeping device").isEqualTo(before);

        await().atMost(WITHIN).until(() -> sleeper.worldViewUpdates() > before);
        assertThat(view(sleeper).values().get(key)).isEqualTo("19.25");
        await().pollDelay(Duration.ofSeconds(1)).atMost(WITHIN).until(() -> true);
        assertThat(sleeper.worldViewUpdates()).as("only the latest copy, once").isEqualTo(before + 1);
    }

    @Test
    void movingADeviceChangesItsOwnViewAndTheViewsThatIncludedIt() throws Exception {
        placeSixDevices(Set.of());
        ReferenceClient mover = zoneA.get(0);
        String moverKey = "device/" + mover.endpoint() + "/3303/0/5700";

        ApiClient.Response moved = fixture.api().post("/api/edges",
                "{\"from\":\"device/" + mover.endpoint() + "\",\"kind\":\"in\",\"to\":\"zone/site/b\",\"exclusive\":true}");
        assertThat(moved.status()).as(moved.toString()).isBetween(200, 201);

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(view(mover).values().keySet()).containsExactlyInAnyOrderElementsOf(keys(zoneB, null));
            for (ReferenceClient client : zoneA.subList(1, 3)) {
                assertThat(view(client).values()).doesNotContainKey(moverKey);
            }
            for (ReferenceClient client : zoneB) {
                assertThat(view(client).values()).containsKey(moverKey);
            }
        });
    }

    @Test
    void aPendingCopySurvivesARestart() throws Exception {
        placeSixDevices(Set.of("a-2"));
        ReferenceClient sleeper = zoneA.stream().filter(client -> client.endpoint().equals("a-2")).findFirst().orElseThrow();
        await().atMost(WITHIN).until(() -> fixture.api().get("/api/devices/a-2").json().get("state").asText().equals("sleeping"));
        ReferenceClient changing = zoneA.get(0);
        String key = "device/" + changing.endpoint() + "/3303/0/5700";
        changing.simulateTemperature(29.5);
        await().atMost(WITHIN).until(() -> "29.5".equals(view(zoneA.get(1)).values().get(key)));

        fixture.restart();

        await().atMost(WITHIN).until(() -> "29.5".equals(view(sleeper).values().get(key)));
    }

    @Test
    void aCopyThatWentUnansweredIsSentAgainOnceTheDeviceHearsTheServer() throws Exception {
        placeSixDevices(Set.of());
        JsonNode provisioned = fixture.provision("a-far");
        try (UdpRelay radio = new UdpRelay(fixture.platform().dmServer().securedAddress())) {
            ReferenceClient far = fixture.startClient(DeviceCredentials.apply(ReferenceClient.builder().endpoint("a-far")
                    .server(URI.create("coaps://127.0.0.1:" + radio.address().getPort())), provisioned.get("server")));
            assertThat(far.awaitRegistered(WITHIN)).isTrue();
            far.holdSensors(true);
            assertThat(fixture.api().post("/api/edges", "{\"from\":\"device/a-far\",\"kind\":\"in\",\"to\":\"zone/site/a\"}")
                    .status()).isBetween(200, 201);
            giveZoneView(far);
            await().atMost(WITHIN).untilAsserted(() -> assertThat(view(far).values().keySet())
                    .containsExactlyInAnyOrderElementsOf(keys(zoneA, null)));
            List<DeviceViewDelivery.Delivery> unanswered = new CopyOnWriteArrayList<>();
            fixture.platform().viewDelivery().addListener(delivery -> {
                if (delivery.endpoint().equals("a-far") && delivery.outcome() != OperationResult.Outcome.SUCCESS) {
                    unanswered.add(delivery);
                }
            });

            radio.dropDownlink(true);
            ReferenceClient changing = zoneA.get(0);
            String key = "device/" + changing.endpoint() + "/3303/0/5700";
            changing.simulateTemperature(16.75);
            await().atMost(WITHIN).until(() -> "16.75".equals(view(zoneA.get(1)).values().get(key)));
            await().atMost(WITHIN).until(() -> !unanswered.isEmpty());
            assertThat(view(far).values().get(key)).as("the device heard nothing").isNotEqualTo("16.75");
            radio.dropDownlink(false);

            await().atMost(WITHIN).until(() -> "16.75".equals(view(far).values().get(key)));
            await().atMost(WITHIN).until(() -> fixture.api().get("/api/devices/a-far/views").json()
                    .at("/views/0/delivered").asBoolean());
            assertThat(fixture.api().get("/metrics").body()).as("operators see both in /metrics")
                    .containsPattern("orbis_view_copies_total\\{outcome=\"(timeout|failed)\",?\\} [1-9]")
                    .containsPattern("orbis_view_copies_total\\{outcome=\"success\",?\\} [1-9]");
        }
    }

    @Test
    void aRebootedDeviceThatLostItsCopyGetsItAgain() throws Exception {
        placeSixDevices(Set.of());
        awaitEveryCopyDelivered();
        ReferenceClient rebooted = zoneB.get(1);
        long before = rebooted.worldViewUpdates();

        rebooted.reboot();

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(rebooted.worldViewUpdates()).isGreaterThan(before);
            assertThat(view(rebooted).values().keySet()).containsExactlyInAnyOrderElementsOf(keys(zoneB, rebooted));
        });
    }

    /** Two zones of a site, three devices in each, every device given the temperatures of its own zone. */
    private void placeSixDevices(Set<String> sleepy) throws Exception {
        StringBuilder edges = new StringBuilder();
        for (String zone : List.of("a", "b")) {
            for (int i = 0; i < 3; i++) {
                String endpoint = zone + "-" + i;
                UnaryOperator<ReferenceClientBuilder> settings = sleepy.contains(endpoint)
                        ? builder -> builder.queueMode(Duration.ofSeconds(2), Duration.ofSeconds(3)) : UnaryOperator.identity();
                ReferenceClient client = fixture.bootstrapClient(fixture.provision(endpoint), settings,
                        new ClientEventListener() {
                        });
                (zone.equals("a") ? zoneA : zoneB).add(client);
                edges.append(edges.length() == 0 ? "" : ",").append("{\"from\":\"device/").append(endpoint)
                        .append("\",\"kind\":\"in\",\"to\":\"zone/site/").append(zone).append("\"}");
            }
        }
        ApiClient.Response imported = fixture.api().post("/api/import", "{\"entities\":[{\"key\":\"site/site\"},"
                + "{\"key\":\"zone/site/a\"},{\"key\":\"zone/site/b\"}],\"edges\":[" + edges
                + ",{\"from\":\"zone/site/a\",\"kind\":\"partOf\",\"to\":\"site/site\"},"
                + "{\"from\":\"zone/site/b\",\"kind\":\"partOf\",\"to\":\"site/site\"}]}");
        assertThat(imported.status()).as(imported.toString()).isBetween(200, 201);
        List<ReferenceClient> all = new ArrayList<>(zoneA);
        all.addAll(zoneB);
        for (ReferenceClient client : all) {
            assertThat(client.awaitRegistered(WITHIN)).isTrue();
            client.holdSensors(true);
            giveZoneView(client);
        }
        await().atMost(WITHIN).untilAsserted(() -> {
            for (ReferenceClient client : zoneA) {
                assertThat(view(client).values().keySet()).containsExactlyInAnyOrderElementsOf(keys(zoneA, client));
            }
            for (ReferenceClient client : zoneB) {
                assertThat(view(client).values().keySet()).containsExactlyInAnyOrderElementsOf(keys(zoneB, client));
            }
        });
    }

    private void giveZoneView(ReferenceClient client) {
        ApiClient.Response given = fixture.api().send(HttpRequest.newBuilder(
                URI.create(fixture.api().base() + "/api/devices/" + client.endpoint() + "/views/my-zone"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(ZONE_VIEW)));
        assertThat(given.status()).as(given.toString()).isEqualTo(200);
    }

    /** No view copy behind or in flight: from here on, copies only follow new changes. */
    private void awaitEveryCopyDelivered() {
        await().atMost(WITHIN).untilAsserted(() -> {
            for (String endpoint : List.of("a-0", "a-1", "a-2", "b-0", "b-1", "b-2")) {
                assertThat(fixture.api().get("/api/devices/" + endpoint + "/views").json().at("/views/0/delivered")
                        .asBoolean()).as(endpoint).isTrue();
            }
            assertThat(fixture.platform().viewDelivery().inFlight()).isZero();
        });
    }

    /** The temperature keys of a zone's devices, but {@code self} (a view "within 2 of $self" leaves out the device). */
    private static List<String> keys(List<ReferenceClient> zone, ReferenceClient self) {
        List<String> keys = new ArrayList<>();
        zone.stream().filter(client -> client != self)
                .forEach(client -> keys.add("device/" + client.endpoint() + "/3303/0/5700"));
        return keys;
    }

    private static WorldViewSnapshot view(ReferenceClient client) {
        Map<Integer, WorldViewSnapshot> views = client.worldViews();
        return views.isEmpty() ? new WorldViewSnapshot(-1, null, -1, false, List.of()) : views.values().iterator().next();
    }
}
