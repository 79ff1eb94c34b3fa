package org.orbis.console.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.ClientEventListener;
import org.orbis.client.objects.LightState;
import org.orbis.client.ReferenceClient;
import org.orbis.client.ReferenceClientBuilder;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.store.DatabaseSettings;

/**
 * Sleepy devices and durable commands, over real DTLS: desired values and queued commands wait while devices sleep,
 * reach them in the first awake window after they wake, survive a server restart, expire when told to, and
 * observations come back by themselves after a reboot.
 */
class SleepyDevicesTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** The server counts a queue-mode device awake this long after each message; the client stays awake longer. */
    private static final Duration SERVER_AWAKE_TIME = Duration.ofMillis(800);
    private static final UnaryOperator<ReferenceClientBuilder> SLEEPY =
            builder -> builder.queueMode(Duration.ofSeconds(2), Duration.ofSeconds(3));

    @TempDir
    Path dataDir;
    PlatformFixture fixture;

    @BeforeEach
    void start() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir),
                settings -> settings.withAwakeTime(SERVER_AWAKE_TIME)).start();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void desiredLightReachesTenSleepingDevicesInTheirFirstAwakeWindowAndShowsInSync() throws Exception {
        List<ReferenceClient> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clients.add(fixture.bootstrapClient(fixture.provision("sleepy-" + i), SLEEPY, new ClientEventListener() {
            }));
        }
        for (ReferenceClient client : clients) {
            assertThat(client.awaitRegistered(WITHIN)).isTrue();
        }
        for (ReferenceClient client : clients) {
            await().atMost(WITHIN).until(() -> state(client).equals("sleeping"));
            ApiClient.Response set = fixture.api().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(fixture.api().base() + "/api/devices/" + client.endpoint() + "/desired"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"path\":\"/3311/0/5850\",\"value\":true}")));
            assertThat(set.status()).as(set.toString()).isEqualTo(202);
            assertThat(set.json().get("inSync").asBoolean()).isFalse();
        }
        assertThat(fixture.api().get("/api/desired/out-of-sync").json().get("total").asInt()).isEqualTo(10);

        await().atMost(WITHIN).until(() -> clients.stream().allMatch(ReferenceClient::isLightOn));
        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(fixture.api().get("/api/desired/out-of-sync").json().get("total").asInt()).isZero());
        for (ReferenceClient client : clients) {
            JsonNode desired = fixture.api().get("/api/devices/" + client.endpoint() + "/desired").json().at("/desired/0");
            assertThat(desired.get("inSync").asBoolean()).isTrue();
            JsonNode command = fixture.api().get("/api/commands/" + desired.get("commandId").asLong()).json();
            assertThat(command.get("status").asText()).isEqualTo("succeeded");
            assertThat(command.get("attempts").asInt()).as("delivered in the first awake window, never sent to a sleeper")
                    .isEqualTo(1);
        }
    }

    @Test
    void threeQueuedWritesSurviveARestartAndAreAppliedInOrderExactlyOnce() throws Exception {
        List<Integer> dimmerChanges = new CopyOnWriteArrayList<>();
        ReferenceClient client = fixture.bootstrapClient(fixture.provision("sleepy-r"), SLEEPY, new ClientEventListener() {
            @Override
            public void onLightChanged(LightState state) {
                dimmerChanges.add(state.dimmer());
            }
        });
        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        await().atMost(WITHIN).until(() -> state(client).equals("sleeping"));

        List<Long> ids = new ArrayList<>();
        for (int dimmer : new int[] {10, 20, 30}) {
            ApiClient.Response queued = fixture.api().post("/api/devices/sleepy-r/commands",
                    "{\"kind\":\"write\",\"path\":\"/3311/0/5851\",\"value\":" + dimmer + "}");
            assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
            assertThat(queued.json().get("status").asText()).isEqualTo("queued");
            ids.add(queued.json().get("id").asLong());
        }
        assertThat(dimmerChanges).as("nothing reaches a sleeping device").isEmpty();

        fixture.restart();

        await().atMost(WITHIN).untilAsserted(() -> assertThat(dimmerChanges).containsExactly(10, 20, 30));
        for (long id : ids) {
            await().atMost(WITHIN).untilAsserted(() -> assertThat(
                    fixture.api().get("/api/commands/" + id).json().get("status").asText()).isEqualTo("succeeded"));
        }
        assertThat(client.dimmer()).isEqualTo(30);
    }

    @Test
    void anExpiredCommandIsNeverDeliveredAndShowsAsExpired() throws Exception {
        List<Integer> dimmerChanges = new CopyOnWriteArrayList<>();
        ReferenceClient client = fixture.bootstrapClient(fixture.provision("sleepy-e"), SLEEPY, new ClientEventListener() {
            @Override
            public void onLightChanged(LightState state) {
                dimmerChanges.add(state.dimmer());
            }
        });
        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        await().atMost(WITHIN).until(() -> state(client).equals("sleeping"));

        long stale = fixture.api().post("/api/devices/sleepy-e/commands",
                "{\"kind\":\"write\",\"path\":\"/3311/0/5851\",\"value\":77,\"expiresIn\":\"500ms\"}").json().get("id").asLong();
        await().atMost(WITHIN).untilAsserted(() -> assertThat(
                fixture.api().get("/api/commands/" + stale).json().get("status").asText()).isEqualTo("expired"));
        fixture.api().post("/api/devices/sleepy-e/commands", "{\"kind\":\"write\",\"path\":\"/3311/0/5851\",\"value\":55}");

        await().atMost(WITHIN).untilAsserted(() -> assertThat(dimmerChanges).contains(55));
        assertThat(dimmerChanges).doesNotContain(77);
        assertThat(fixture.api().get("/api/commands/" + stale).json().get("attempts").asInt()).isZero();
    }

    @Test
    void rebootingADeviceReEstablishesItsObservationsWithoutOperatorAction() throws Exception {
        ReferenceClient client = fixture.bootstrapClient(fixture.provision("rebooter"));
        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        ResourcePath temperature = ResourcePath.parse("/3303/0/5700");
        await().atMost(WITHIN).until(() -> fixture.platform().world().value("rebooter", temperature).isPresent());
        String firstRegistration = registrationId();

        ApiClient.Response reboot = fixture.api().post("/api/devices/rebooter/execute", "{\"path\":\"/3/0/4\"}");
        assertThat(reboot.status()).as(reboot.toString()).isEqualTo(200);
        await().atMost(WITHIN).until(() -> !registrationId().equals(firstRegistration) && client.isRegistered());

        long revision = fixture.platform().world().value("rebooter", temperature).orElseThrow().revision();
        await().atMost(WITHIN).until(() -> fixture.platform().world().value("rebooter", temperature).orElseThrow()
                .revision() > revision + 2);
        var registration = fixture.platform().dmServer().leshan().getRegistrationService().getByEndpoint("rebooter");
        assertThat(fixture.platform().dmServer().leshan().getObservationService().getObservations(registration))
                .isNotEmpty();
    }

    private String state(ReferenceClient client) {
        return fixture.api().get("/api/devices/" + client.endpoint()).json().get("state").asText();
    }

    private String registrationId() {
        JsonNode registration = fixture.api().get("/api/devices/rebooter").json().get("registration");
        return registration == null ? "" : registration.get("id").asText();
    }
}
