package org.orbis.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.EventStreamReader;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.store.DatabaseSettings;

/**
 * The command queue and desired values through the HTTP API for a device that is provisioned but not connected:
 * requests are validated against the object model up front, wait in the queue, can be inspected and cancelled, and
 * every change shows on the event stream.
 */
class CommandsApiTest {

    @TempDir
    static Path dataDir;
    static PlatformFixture fixture;
    static ApiClient api;

    @BeforeAll
    static void start() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
        api = fixture.api();
        fixture.provision("offline-1");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aQueuedCommandWaitsCanBeInspectedAndCancelledAndEachStepIsAnEvent() throws Exception {
        try (EventStreamReader events = new EventStreamReader(fixture.api(), null)) {
            ApiClient.Response queued = api.post("/api/devices/offline-1/commands",
                    "{\"kind\":\"write\",\"path\":\"/3311/0/5851\",\"value\":25,\"priority\":5,\"expiresIn\":\"2h\"}");
            assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
            JsonNode command = queued.json();
            long id = command.get("id").asLong();
            assertThat(command.get("status").asText()).isEqualTo("queued");
            assertThat(command.at("/payload/value").asInt()).isEqualTo(25);

            assertThat(api.get("/api/commands/" + id).json().get("priority").asInt()).isEqualTo(5);
            assertThat(api.get("/api/devices/offline-1/commands?status=queued").json().get("commands")).hasSize(1);

            ApiClient.Response cancelled = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/commands/" + id)).DELETE());
            assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
            ApiClient.Response again = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/commands/" + id)).DELETE());
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().get("detail").asText()).contains("can no longer be cancelled");

            EventStreamReader.Event first = events.next(event -> event.name().equals("command"), Duration.ofSeconds(10));
            assertThat(first.data().at("/detail/status").asText()).isEqualTo("queued");
            EventStreamReader.Event second = events.next(event -> event.name().equals("command"), Duration.ofSeconds(10));
            assertThat(second.data().at("/detail/status").asText()).isEqualTo("cancelled");
            assertThat(second.data().at("/detail/id").asLong()).isEqualTo(id);
        }
    }

    @Test
    void commandsAreCheckedAgainstTheObjectModelBeforeTheyAreQueued() {
        assertProblem(api.post("/api/devices/offline-1/commands", "{\"kind\":\"write\",\"path\":\"/3311/0/5850\",\"value\":\"maybe\"}"),
                400, "true or false");
        assertProblem(api.post("/api/devices/offline-1/commands", "{\"kind\":\"write\",\"path\":\"/3/0/0\",\"value\":\"x\"}"),
                400, "does not allow write");
        assertProblem(api.post("/api/devices/offline-1/commands", "{\"kind\":\"execute\",\"path\":\"/3303/0/5700\"}"),
                400, "does not allow execute");
        assertProblem(api.post("/api/devices/offline-1/commands", "{\"kind\":\"dance\",\"path\":\"/3/0\"}"), 400,
                "unknown command kind");
        assertProblem(api.post("/api/devices/offline-1/commands", "{\"kind\":\"read\",\"path\":\"/3/0\",\"expiresIn\":\"soon\"}"),
                400, "not a duration");
        assertProblem(api.post("/api/devices/offline-1/commands", "{\"kind\":\"read\",\"path\":\"/3/0\",\"priority\":1000}"),
                400, "priority");
        assertProblem(api.post("/api/devices/nobody/commands", "{\"kind\":\"read\",\"path\":\"/3/0\"}"), 404, "nobody");
        assertProblem(api.get("/api/commands/999999"), 404, "no command 999999");
        assertThat(api.get("/api/devices/offline-1/commands?status=queued").json().get("commands")).isEmpty();
    }

    @Test
    void aDesiredValueIsRecordedAndListedAsOutOfSyncUntilTheDeviceReportsIt() {
        ApiClient.Response set = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/devices/offline-1/desired"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"path\":\"/3311/0/5851\",\"value\":60}")));
        assertThat(set.status()).as(set.toString()).isEqualTo(202);
        assertThat(set.json().get("type").asText()).isEqualTo("INTEGER");
        assertThat(api.get("/api/desired/out-of-sync").json().at("/desired/0/endpoint").asText()).isEqualTo("offline-1");

        ApiClient.Response cleared = api.send(HttpRequest.newBuilder(
                URI.create(api.base() + "/api/devices/offline-1/desired?path=/3311/0/5851")).DELETE());
        assertThat(cleared.status()).isEqualTo(204);
        assertThat(api.get("/api/devices/offline-1/desired").json().get("desired")).isEmpty();
        assertThat(api.get("/api/commands/" + set.json().get("commandId").asLong()).json().get("status").asText())
                .isEqualTo("cancelled");
    }

    private static void assertProblem(ApiClient.Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("detail").asText()).contains(detailContains);
    }
}
