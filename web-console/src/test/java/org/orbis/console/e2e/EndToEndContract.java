package org.orbis.console.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.EventStreamReader;
import org.orbis.console.testing.EventStreamReader.Event;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.store.DatabaseSettings;

/**
 * The foundation's promise, end to end over real UDP loopback and real DTLS: a device provisioned through the API
 * bootstraps, registers, reports through observe/notify into the world model, streams to operators, and obeys writes.
 * Run once per database backend by the subclasses.
 */
abstract class EndToEndContract {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    PlatformFixture fixture;

    abstract DatabaseSettings database();

    @BeforeEach
    void startPlatform() {
        fixture = new PlatformFixture(database()).start();
    }

    @AfterEach
    void stopPlatform() {
        fixture.close();
    }

    @Test
    void provisionedClientBootstrapsRegistersAndItsResourcesReachTheWorldModel() throws Exception {
        JsonNode provisioned = fixture.provision("sensor-1");
        assertThat(provisioned.at("/bootstrap/uri").asText()).isEqualTo(fixture.bootstrapServerUri().toString());
        assertThat(provisioned.at("/server/uri").asText()).isEqualTo(fixture.dmServerUri().toString());
        assertThat(provisioned.at("/bootstrap/pskKey").asText()).matches("[0-9a-f]{32}");
        assertThat(fixture.api().get("/api/devices/sensor-1").json().get("state").asText()).isEqualTo("never");

        ReferenceClient client = fixture.bootstrapClient(provisioned);
        assertThat(client.awaitRegistered(WITHIN)).as("registered after bootstrap").isTrue();
        assertThat(client.registeredServer()).contains(fixture.dmServerUri().toString());

        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode device = fixture.api().get("/api/devices/sensor-1").json();
            assertThat(device.get("state").asText()).isEqualTo("online");
            assertThat(resource(device, "/3/0/0").get("value").asText()).isEqualTo("Orbis");
            assertThat(resource(device, "/3303/0/5700").get("type").asText()).isEqualTo("FLOAT");
        });
        JsonNode listed = fixture.api().get("/api/devices?state=online").json();
        assertThat(listed.get("total").asLong()).isEqualTo(1);
        assertThat(listed.at("/devices/0/registration/lwm2mVersion").asText()).isEqualTo("1.1");
    }

    @Test
    void driftingTemperatureStreamsToOperatorsAndAReconnectWithLastEventIdMissesNothing() throws Exception {
        JsonNode provisioned = fixture.provision("sensor-2");
        long firstId;
        try (EventStreamReader stream = new EventStreamReader(fixture.api(), null)) {
            assertThat(stream.status()).isEqualTo(200);
            ReferenceClient client = fixture.bootstrapClient(provisioned);
            assertThat(client.awaitRegistered(WITHIN)).isTrue();
            Event online = stream.next(e -> e.name().equals("device") && e.data().get("state").asText().equals("online"), WITHIN);
            assertThat(online.data().get("endpoint").asText()).isEqualTo("sensor-2");
            List<Double> temperatures = new ArrayList<>();
            Event first = stream.next(e -> e.isValueOf("sensor-2", "/3303/0/5700"), WITHIN);
            temperatures.add(first.data().get("value").asDouble());
            while (temperatures.size() < 3) {
                temperatures.add(stream.next(e -> e.isValueOf("sensor-2", "/3303/0/5700"), WITHIN).data().get("value").asDouble());
            }
            assertThat(temperatures).doesNotHaveDuplicates();
            firstId = first.id();
        }
        long head = fixture.platform().feed().head();
        await().atMost(WITHIN).until(() -> fixture.platform().feed().head() > head + 5);

        List<ChangeEvent> committed = fixture.platform().feed().readAfter(firstId, 10_000);
        try (EventStreamReader resumed = new EventStreamReader(fixture.api(), Long.toString(firstId))) {
            long expected = firstId;
            for (ChangeEvent change : committed) {
                Event event = resumed.next(e -> true, WITHIN);
                assertThat(event.id()).as("events resume right after Last-Event-ID, in order, without gaps")
                        .isEqualTo(change.sequence()).isGreaterThan(expected);
                assertThat(event.data().get("endpoint").asText()).isEqualTo(change.endpoint());
                expected = event.id();
            }
        }
    }

    @Test
    void writingTheLightThroughTheApiSwitchesTheClientAndTheWorldModel() throws Exception {
        ReferenceClient client = fixture.bootstrapClient(fixture.provision("lamp-1"));
        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        assertThat(client.isLightOn()).isFalse();

        ApiClient.Response on = fixture.api().post("/api/devices/lamp-1/write", "{\"path\":\"/3311/0/5850\",\"value\":true}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        assertThat(on.json().get("code").asText()).isEqualTo("CHANGED");
        assertThat(client.isLightOn()).isTrue();
        ApiClient.Response dim = fixture.api().post("/api/devices/lamp-1/write", "{\"path\":\"/3311/0/5851\",\"value\":40}");
        assertThat(dim.status()).as(dim.toString()).isEqualTo(200);
        assertThat(client.dimmer()).isEqualTo(40);

        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode device = fixture.api().get("/api/devices/lamp-1").json();
            assertThat(resource(device, "/3311/0/5850").get("value").asBoolean()).isTrue();
            assertThat(resource(device, "/3311/0/5851").get("value").asInt()).isEqualTo(40);
        });
        ApiClient.Response read = fixture.api().post("/api/devices/lamp-1/read", "{\"path\":\"/3311/0/5850\"}");
        assertThat(read.json().at("/values/0/value").asBoolean()).isTrue();
    }

    @Test
    void restartingOnTheSameDatabaseKeepsDevicesTheirLastKnownValuesAndTheirRegistration() throws Exception {
        ReferenceClient client = fixture.bootstrapClient(fixture.provision("keeper-1"));
        assertThat(client.awaitRegistered(WITHIN)).isTrue();
        await().atMost(WITHIN).until(() -> fixture.api().get("/api/devices/keeper-1").json().get("resources").size() > 10);
        client.destroy(false);
        assertThat(fixture.platform().writer().flush(WITHIN)).isTrue();
        JsonNode before = fixture.api().get("/api/devices/keeper-1").json();

        fixture.restart();

        JsonNode after = fixture.api().get("/api/devices/keeper-1").json();
        assertThat(after.get("resources")).isEqualTo(before.get("resources"));
        assertThat(after.get("state").asText()).as("the registration outlives the restart").isEqualTo("online");
        assertThat(after.get("registration").get("id")).isEqualTo(before.get("registration").get("id"));
        assertThat(fixture.platform().dmServer().leshan().getRegistrationService().getByEndpoint("keeper-1"))
                .isNotNull();
        ApiClient.Response duplicate = fixture.api().post("/api/devices", "{\"endpoint\":\"keeper-1\"}");
        assertThat(duplicate.status()).as("the provisioned device survived the restart").isEqualTo(409);
    }

    static JsonNode resource(JsonNode device, String path) {
        for (JsonNode resource : device.get("resources")) {
            if (resource.get("path").asText().equals(path)) {
                return resource;
            }
        }
        throw new AssertionError(path + " not in " + device.get("endpoint") + "'s resources");
    }
}
