package org.orbis.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.store.DatabaseSettings;

/** Bad requests get a 4xx {@code application/problem+json} whose detail says what was wrong, and change nothing. */
class ApiErrorsTest {

    @TempDir
    static Path dataDir;
    static PlatformFixture fixture;
    static ApiClient api;

    @BeforeAll
    static void start() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
        api = fixture.api();
        fixture.provision("known-1");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void malformedJsonSaysWhere() {
        ApiClient.Response response = api.post("/api/devices", "{\"endpoint\": ");
        assertProblem(response, 400, "not valid JSON");
        assertThat(response.json().get("detail").asText()).contains("line 1");
    }

    @Test
    void unknownFieldsAreNamed() {
        assertProblem(api.post("/api/devices", "{\"endpoint\":\"x-1\",\"colour\":\"red\"}"), 400, "unknown field 'colour'");
        assertThat(api.get("/api/devices/x-1").status()).isEqualTo(404);
    }

    @Test
    void missingOrInvalidEndpointIsRefused() {
        assertProblem(api.post("/api/devices", "{}"), 400, "'endpoint' is required");
        assertProblem(api.post("/api/devices", "{\"endpoint\":\"has space\"}"), 400, "not valid");
        assertProblem(api.post("/api/devices", "{\"endpoint\":\"k-1\",\"pskKey\":\"xyz\"}"), 400, "hex");
        assertProblem(api.post("/api/devices", "{\"endpoint\":\"k-2\",\"pskKey\":\"0102\"}"), 400, "8 to 64 bytes");
        assertThat(api.get("/api/devices?search=k-").json().get("total").asInt()).isZero();
    }

    @Test
    void duplicateEndpointIsAConflictAndKeepsTheFirstDevice() {
        assertProblem(api.post("/api/devices", "{\"endpoint\":\"known-1\"}"), 409, "already exists");
        assertThat(api.get("/api/devices/known-1").status()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndDevicesAre404() {
        assertProblem(api.get("/api/nothing-here"), 404, "/api/openapi.json");
        assertProblem(api.get("/api/devices/nobody"), 404, "no device 'nobody'");
        assertProblem(api.post("/api/devices/nobody/read", "{\"path\":\"/3/0/0\"}"), 404, "no device 'nobody'");
    }

    @Test
    void operationsOnADeviceThatIsNotRegisteredAreConflicts() {
        assertProblem(api.post("/api/devices/known-1/read", "{\"path\":\"/3/0/0\"}"), 409, "not registered");
        assertProblem(api.post("/api/devices/known-1/read", "{}"), 400, "'path' is required");
        assertProblem(api.post("/api/devices/known-1/write", "{\"path\":\"/3311/0/5850\",\"value\":{\"a\":1}}"), 400,
                "boolean, a number or a string");
    }

    @Test
    void oversizedBodiesAre413() {
        byte[] body = new byte[(int) HttpApi.MAX_BODY_BYTES + 10];
        Arrays.fill(body, (byte) ' ');
        assertProblem(api.post("/api/devices", body), 413, "larger than");
    }

    @Test
    void badQueryParametersAreNamed() {
        assertProblem(api.get("/api/devices?state=dancing"), 400, "unknown device state 'dancing'");
        assertProblem(api.get("/api/devices?limit=0"), 400, "limit");
        assertProblem(api.get("/api/devices?offset=abc"), 400, "'offset' must be an integer");
    }

    @Test
    void eventStreamNeedsTheEventStreamMediaTypeAndAValidLastEventId() {
        assertProblem(api.get("/api/events"), 406, "text/event-stream");
        assertProblem(api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/events"))
                .header("Accept", "text/event-stream").header("Last-Event-ID", "yesterday").GET()), 400, "sequence number");
    }

    @Test
    void theApiIsDescribed() {
        ApiClient.Response openApi = api.get("/api/openapi.json");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json().at("/paths").has("/api/devices/{endpoint}/write")).isTrue();
        assertThat(api.get("/").body()).contains("<title>Orbis</title>");
    }

    private static void assertProblem(ApiClient.Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).contains(detailContains);
    }
}
