package org.orbis.console.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.firmware.FirmwarePackage;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.server.firmware.FirmwareSettings;
import org.orbis.world.store.DatabaseSettings;

/**
 * The firmware and campaign API's answers to bad input, and operator control of a campaign whose devices are not
 * online: every refusal is a problem+json that says what to fix, and stores nothing.
 */
class FirmwareApiTest {

    private static final int LIMIT = 64 * 1024;

    @TempDir
    Path dataDir;
    PlatformFixture fixture;
    ApiClient api;

    @BeforeEach
    void start() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir),
                settings -> settings.withFirmware(FirmwareSettings.defaults().withMaxPackageBytes(LIMIT)));
        fixture.start();
        api = fixture.api();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void anUploadIsStoredWithItsDigestAndReadsBackByteForByte() {
        byte[] pkg = firmwarePackage("2.0.0", 10_000);

        JsonNode image = fixture.uploadFirmware("2.0.0", pkg);

        assertThat(image.get("size").asInt()).isEqualTo(pkg.length);
        assertThat(image.get("sha256").asText()).isEqualTo(sha256(pkg));
        assertThat(api.get("/api/firmware").json().at("/images/0/version").asText()).isEqualTo("2.0.0");
        ApiClient.Response content = api.get("/api/firmware/" + image.get("id").asLong() + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.contentType()).startsWith("application/octet-stream");
    }

    @Test
    void anUploadWhoseBytesDoNotMatchItsSha256IsRefusedAndNothingIsStored() {
        byte[] pkg = firmwarePackage("2.0.0", 10_000);

        ApiClient.Response response = upload("2.0.0", sha256(new byte[] {1}), pkg);

        assertProblem(response, 422, "SHA-256 " + sha256(pkg));
        assertThat(api.get("/api/firmware").json().get("images")).isEmpty();
    }

    @Test
    void anUploadOverTheSizeLimitIsRefusedWith413() {
        byte[] pkg = firmwarePackage("2.0.0", LIMIT + 1);

        assertProblem(upload("2.0.0", sha256(pkg), pkg), 413, "limit of " + LIMIT);
        assertThat(api.get("/api/firmware").json().get("images")).isEmpty();
    }

    @Test
    void aPackageWhoseHeaderNamesAnotherVersionIsRefused() {
        byte[] pkg = firmwarePackage("2.0.0", 1000);

        assertProblem(upload("3.0.0", sha256(pkg), pkg), 422, "header says model 'orbis-reference' version '2.0.0'");
    }

    @Test
    void missingParametersAndDuplicatesAreExplained() {
        byte[] pkg = firmwarePackage("2.0.0", 1000);
        assertProblem(api.postBytes("/api/firmware?version=2.0.0&sha256=" + sha256(pkg), "application/octet-stream",
                pkg), 400, "model is required");
        assertProblem(upload("2.0.0", "abc", pkg), 400, "64 hex digits");
        fixture.uploadFirmware("2.0.0", pkg);
        assertProblem(upload("2.0.0", sha256(pkg), pkg), 409, "exists already");
    }

    @Test
    void campaignRequestsThatCannotWorkAreRefused() {
        long image = fixture.uploadFirmware("2.0.0", firmwarePackage("2.0.0", 1000)).get("id").asLong();
        fixture.provision("quiet-1");

        assertProblem(api.post("/api/campaigns", "{\"target\":{}}"), 400, "'image'");
        assertProblem(api.post("/api/campaigns", "{\"image\":999}"), 400, "no firmware image 999");
        assertProblem(api.post("/api/campaigns", "{\"image\":" + image + "}"), 400, "no device matches");
        assertProblem(api.post("/api/campaigns", "{\"image\":" + image + ",\"target\":{\"versions\":[\"1.0.0\"]}}"),
                400, "no device matches: none of model 'orbis-reference' on version 1.0.0");
        assertProblem(api.post("/api/campaigns", "{\"image\":" + image + ",\"target\":{\"zone\":\"zone/hq\"}}"), 400,
                "zone");
        assertProblem(api.post("/api/campaigns", "{\"image\":" + image + ",\"target\":{\"endpoints\":[\"ghost\"]}}"),
                400, "not provisioned: ghost");
        assertProblem(api.post("/api/campaigns", "{\"image\":" + image
                + ",\"target\":{\"endpoints\":[\"quiet-1\"]},\"policy\":{\"failureThreshold\":2}}"), 400,
                "failureThreshold");
        assertProblem(api.post("/api/campaigns", "{\"image\":" + image
                + ",\"target\":{\"endpoints\":[\"quiet-1\"]},\"delivery\":\"carrier-pigeon\"}"), 400, "auto, pull or push");
        assertThat(api.get("/api/campaigns").json().get("campaigns")).isEmpty();
    }

    @Test
    void anOperatorPausesResumesAndAbortsACampaignWhoseDevicesAreAway() {
        long image = fixture.uploadFirmware("2.0.0", firmwarePackage("2.0.0", 1000)).get("id").asLong();
        fixture.provision("away-1");
        fixture.provision("away-2");
        ApiClient.Response created = api.post("/api/campaigns", "{\"image\":" + image
                + ",\"target\":{\"endpoints\":[\"away-1\",\"away-2\"]}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> api
                .get("/api/campaigns/" + id).json().at("/progress/transferring").asInt() == 2);
        assertProblem(api.post("/api/campaigns", "{\"image\":" + image + ",\"target\":{\"endpoints\":[\"away-2\"]}}"),
                409, "away-2");

        assertThat(api.post("/api/campaigns/" + id + "/pause", "").json().get("state").asText()).isEqualTo("paused");
        assertThat(api.post("/api/campaigns/" + id + "/resume", "").json().get("state").asText()).isEqualTo("running");
        JsonNode aborted = api.post("/api/campaigns/" + id + "/abort", "").json();

        assertThat(aborted.get("state").asText()).isEqualTo("aborted");
        assertThat(aborted.at("/progress/cancelled").asInt()).isEqualTo(2);
        JsonNode commands = api.get("/api/devices/away-1/commands").json().get("commands");
        assertThat(commands).allSatisfy(command -> assertThat(command.get("status").asText())
                .as(command.toString()).isIn("cancelled", "queued"));
        assertThat(commands).filteredOn(command -> command.get("path").asText().equals("/5/0/1")
                && command.get("payload").toString().contains("coaps://")).allSatisfy(command -> assertThat(
                        command.get("status").asText()).isEqualTo("cancelled"));
        assertProblem(api.post("/api/campaigns/" + id + "/resume", ""), 409, "aborted");
        assertProblem(api.post("/api/campaigns/999/pause", ""), 404, "no campaign 999");
        assertProblem(api.delete("/api/firmware/" + image), 409, "used by campaign " + id);
        assertProblem(api.get("/api/campaigns?state=sideways"), 400, "running, paused");
    }

    @Test
    void viewersWatchOperatorsRunCampaignsAndOnlyAdminsAddImages() {
        ApiClient viewer = fixture.userWithRole("vera", org.orbis.world.access.Role.VIEWER, "vera-password-1");
        ApiClient operator = fixture.userWithRole("otto", org.orbis.world.access.Role.OPERATOR, "otto-password-1");
        byte[] pkg = firmwarePackage("2.0.0", 1000);
        String upload = "/api/firmware?model=orbis-reference&version=2.0.0&sha256=" + sha256(pkg);

        assertThat(viewer.postBytes(upload, "application/octet-stream", pkg).status()).isEqualTo(403);
        assertThat(operator.postBytes(upload, "application/octet-stream", pkg).status()).isEqualTo(403);
        long image = fixture.uploadFirmware("2.0.0", pkg).get("id").asLong();
        fixture.provision("role-1");

        assertThat(viewer.get("/api/firmware/" + image).status()).isEqualTo(200);
        assertThat(viewer.post("/api/campaigns", "{\"image\":" + image
                + ",\"target\":{\"endpoints\":[\"role-1\"]}}").status()).isEqualTo(403);
        assertThat(operator.post("/api/campaigns", "{\"image\":" + image
                + ",\"target\":{\"endpoints\":[\"role-1\"]}}").status()).isEqualTo(201);
        assertThat(viewer.get("/api/campaigns").json().get("campaigns")).hasSize(1);
        assertThat(new ApiClient(fixture.httpPort(), null).get("/api/campaigns").status()).isEqualTo(401);
    }

    private ApiClient.Response upload(String version, String sha256, byte[] pkg) {
        return api.postBytes("/api/firmware?model=orbis-reference&version=" + version + "&sha256=" + sha256,
                "application/octet-stream", pkg);
    }

    private static void assertProblem(ApiClient.Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.json().get("detail").asText()).contains(detailContains);
    }

    private static byte[] firmwarePackage(String version, int imageSize) {
        byte[] image = new byte[imageSize];
        new Random(imageSize).nextBytes(image);
        return FirmwarePackage.of("orbis-reference", version, image).encode();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
