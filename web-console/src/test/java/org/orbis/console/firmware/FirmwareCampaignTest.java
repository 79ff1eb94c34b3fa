package org.orbis.console.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.client.ClientEventListener;
import org.orbis.client.ReferenceClient;
import org.orbis.client.ReferenceClientBuilder;
import org.orbis.client.firmware.FirmwareDelivery;
import org.orbis.client.firmware.FirmwareFailure;
import org.orbis.client.firmware.FirmwarePackage;
import org.orbis.client.firmware.FirmwareSettings;
import org.orbis.client.firmware.FirmwareStatus;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.EventStreamReader;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.store.DatabaseSettings;

/**
 * Firmware campaigns end to end over real DTLS: reference clients bootstrap and register with the platform, a package
 * is uploaded through the API, and a campaign rolls it out by pull and by push through each device's command queue,
 * aborts on a corrupted image, survives a server restart, and rides out a device that reboots mid-download.
 */
class FirmwareCampaignTest {

    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final ResourcePath FIRMWARE_VERSION = ResourcePath.of(3, 0, 3);
    private static final byte[] IMAGE = image(30 * 1024);

    @TempDir
    Path dataDir;
    PlatformFixture fixture;

    @BeforeEach
    void start() {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir), settings -> settings
                .withAwakeTime(Duration.ofMillis(800))
                .withFirmware(org.orbis.server.firmware.FirmwareSettings.defaults().withPollInterval(Duration.ofSeconds(3))));
        fixture.start();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aCampaignUpdatesTwentyDevicesByPullAndFiveByPushAndEndsSucceeded() throws Exception {
        List<ReferenceClient> clients = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            FirmwareDelivery delivery = i < 20 ? FirmwareDelivery.BOTH : FirmwareDelivery.PUSH;
            clients.add(client("fleet-" + i, b -> b.firmware(FirmwareSettings.defaults().withDelivery(delivery))));
        }
        awaitReporting(clients);
        JsonNode image = fixture.uploadFirmware("2.0.0", FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode());
        assertThat(image.get("packageUri").asText()).matches("coaps://127\\.0\\.0\\.1:\\d+/fw/" + image.get("id").asLong());

        try (EventStreamReader events = new EventStreamReader(fixture.api(), null)) {
            ApiClient.Response created = fixture.api().post("/api/campaigns", "{\"name\":\"to 2.0.0\",\"image\":"
                    + image.get("id").asLong() + ",\"target\":{\"versions\":[\"1.0.0\"]},\"policy\":{\"concurrency\":25}}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().at("/progress/total").asInt()).isEqualTo(25);
            long id = created.json().get("id").asLong();

            JsonNode campaign = awaitCampaign(id, "succeeded");

            assertThat(campaign.at("/progress/succeeded").asInt()).isEqualTo(25);
            assertThat(campaign.at("/progress/percentDone").asInt()).isEqualTo(100);
            for (ReferenceClient client : clients) {
                assertThat(client.firmwareVersion()).as(client.endpoint()).isEqualTo("2.0.0");
                await().atMost(WITHIN).untilAsserted(() -> assertThat(fixture.platform().world()
                        .value(client.endpoint(), FIRMWARE_VERSION).orElseThrow().value().text()).isEqualTo("2.0.0"));
            }
            JsonNode devices = fixture.api().get("/api/campaigns/" + id + "/devices").json().get("devices");
            assertThat(stream(devices).map(d -> d.get("delivery").asText()).toList())
                    .containsOnly("pull", "push").filteredOn("pull"::equals).hasSize(20);
            assertThat(stream(devices).filter(d -> d.get("endpoint").asText().compareTo("fleet-2") >= 0
                    && Integer.parseInt(d.get("endpoint").asText().substring(6)) >= 20).map(d -> d.get("delivery").asText()))
                    .containsOnly("push").hasSize(5);
            assertThat(stream(devices)).allSatisfy(device -> {
                assertThat(device.get("state").asText()).isEqualTo("succeeded");
                assertThat(device.get("updateResult").asInt()).isEqualTo(1);
                assertThat(device.get("attempts").asInt()).isEqualTo(1);
                assertThat(device.get("fromVersion").asText()).isEqualTo("1.0.0");
            });
            EventStreamReader.Event last = events.next(event -> event.name().equals("firmware")
                    && event.data().at("/detail/progress/succeeded").asInt() == 25, WITHIN);
            assertThat(last.data().at("/detail/campaign").asLong()).isEqualTo(id);
            assertThat(last.data().at("/detail/campaignState").asText()).isEqualTo("succeeded");
        }
        int packageSize = FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode().length;
        assertThat(fixture.platform().dmServer().firmware().transferStats().bytes())
                .as("every pulled block served once").isEqualTo(20L * packageSize);
    }

    @Test
    void aCorruptedImageFailsOnTheDevicesWithAnIntegrityErrorAndAbortsTheCampaignPastItsThreshold() throws Exception {
        List<ReferenceClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(client("corrupt-" + i, b -> b));
        }
        awaitReporting(clients);
        byte[] corrupted = FirmwarePackage.of("orbis-reference", "2.0.1", IMAGE).encode();
        corrupted[corrupted.length - 1000] ^= 0x42;
        JsonNode image = fixture.uploadFirmware("2.0.1", corrupted);

        ApiClient.Response created = fixture.api().post("/api/campaigns", "{\"image\":" + image.get("id").asLong()
                + ",\"policy\":{\"batchSize\":4,\"concurrency\":4,\"failureThreshold\":0.5}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        JsonNode campaign = awaitCampaign(id, "aborted");

        assertThat(campaign.get("reason").asText()).contains("4 of 4 devices that finished failed", "threshold of 50%");
        assertThat(campaign.at("/progress/failed").asInt()).isEqualTo(4);
        assertThat(campaign.at("/progress/cancelled").asInt()).isEqualTo(4);
        JsonNode devices = fixture.api().get("/api/campaigns/" + id + "/devices").json().get("devices");
        for (JsonNode device : devices) {
            if (device.get("position").asInt() < 4) {
                assertThat(device.get("state").asText()).isEqualTo("failed");
                assertThat(device.get("updateResult").asInt()).as("integrity check failure").isEqualTo(5);
                assertThat(device.get("attempts").asInt()).as("a corrupt package is not retried").isEqualTo(1);
                assertThat(device.get("detail").asText()).contains("integrity check failure");
            } else {
                assertThat(device.get("state").asText()).isEqualTo("cancelled");
                assertThat(device.get("attempts").asInt()).isZero();
            }
        }
        for (ReferenceClient client : clients) {
            assertThat(client.firmwareVersion()).isEqualTo("1.0.0");
        }
        assertThat(clients.stream().mapToInt(client -> client.firmware().downloadsStarted()).sum())
                .as("only the first batch ever downloaded").isEqualTo(4);
    }

    @Test
    void sleepingDevicesAreUpdatedWhenTheyWakeAndARestartMidDownloadCompletesTheCampaignWithoutResendingFinishedDevices()
            throws Exception {
        // A slow radio (50 ms between blocks, 1.5 s per download) so that the restart finds a download under way.
        FirmwareSettings slowRadio = FirmwareSettings.defaults().withBlockInterval(Duration.ofMillis(50))
                .withRetries(Duration.ofSeconds(1), 20);
        List<ReferenceClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(client("sleepy-fw-" + i, b -> b.queueMode(Duration.ofSeconds(2), Duration.ofSeconds(3))
                    .firmware(slowRadio)));
        }
        awaitReporting(clients);
        byte[] firmwarePackage = FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode();
        JsonNode image = fixture.uploadFirmware("2.0.0", firmwarePackage);
        long id = fixture.api().post("/api/campaigns", "{\"image\":" + image.get("id").asLong()
                + ",\"policy\":{\"concurrency\":2}}").json().get("id").asLong();
        ReferenceClient midDownload = await().atMost(WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> fixture.api()
                .get("/api/campaigns/" + id).json().at("/progress/succeeded").asInt() >= 2 ? clients.stream()
                        .filter(client -> client.firmware().state() == FirmwareStatus.DOWNLOADING
                                && client.firmware().bytesStored() > 0).findFirst().orElse(null) : null,
                client -> client != null);
        long storedAtRestart = midDownload.firmware().bytesStored();
        JsonNode before = fixture.api().get("/api/campaigns/" + id + "/devices?state=succeeded").json().get("devices");
        List<String> finishedBefore = stream(before).map(device -> device.get("endpoint").asText()).toList();
        long lastCommandBefore = fixture.api().get("/api/commands?limit=1").json().at("/commands/0/id").asLong();

        fixture.restart();

        JsonNode campaign = awaitCampaign(id, "succeeded");
        assertThat(campaign.at("/progress/succeeded").asInt()).isEqualTo(8);
        assertThat(storedAtRestart).isLessThan(firmwarePackage.length);
        for (ReferenceClient client : clients) {
            assertThat(client.firmwareVersion()).as(client.endpoint()).isEqualTo("2.0.0");
            assertThat(client.firmware().downloadsStarted()).as("%s downloaded once, from byte 0", client.endpoint())
                    .isEqualTo(1);
        }
        for (String endpoint : finishedBefore) {
            JsonNode commands = fixture.api().get("/api/devices/" + endpoint + "/commands?limit=1000").json()
                    .get("commands");
            assertThat(stream(commands).filter(command -> command.get("origin").asText().equals("firmware"))
                    .map(command -> command.get("id").asLong()))
                    .as("nothing was sent again to %s, which had finished before the restart", endpoint)
                    .allMatch(commandId -> commandId <= lastCommandBefore);
        }
        JsonNode devices = fixture.api().get("/api/campaigns/" + id + "/devices").json().get("devices");
        assertThat(stream(devices).map(device -> device.get("attempts").asInt())).containsOnly(1);
    }

    @Test
    void aDeviceThatRebootsMidDownloadResumesFromItsLastBlockAndSucceeds() throws Exception {
        ReferenceClient client = client("power-cut", b -> b.firmware(FirmwareSettings.defaults()
                .withFailure(FirmwareFailure.REBOOT_MID_DOWNLOAD)));
        awaitReporting(List.of(client));
        byte[] firmwarePackage = FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode();
        JsonNode image = fixture.uploadFirmware("2.0.0", firmwarePackage);

        long id = fixture.api().post("/api/campaigns", "{\"image\":" + image.get("id").asLong()
                + ",\"target\":{\"endpoints\":[\"power-cut\"]},\"delivery\":\"pull\"}").json().get("id").asLong();

        awaitCampaign(id, "succeeded");
        assertThat(client.firmwareVersion()).isEqualTo("2.0.0");
        assertThat(client.firmware().resumes()).isEqualTo(1);
        assertThat(client.firmware().resumedFromByte()).isGreaterThanOrEqualTo(firmwarePackage.length / 2);
        JsonNode device = fixture.api().get("/api/campaigns/" + id + "/devices").json().at("/devices/0");
        assertThat(device.get("attempts").asInt()).as("the same attempt went on after the reboot").isEqualTo(1);
        assertThat(fixture.platform().dmServer().firmware().transferStats().bytes())
                .as("blocks stored before the power cut were not fetched again").isEqualTo(firmwarePackage.length);
    }

    @Test
    void aCampaignTargetingAZoneUpdatesTheDevicesPlacedInItAndInTheZonesInsideIt() throws Exception {
        List<ReferenceClient> clients = List.of(client("floor-a", b -> b), client("room-b", b -> b),
                client("lobby-c", b -> b));
        awaitReporting(clients);
        ApiClient.Response imported = fixture.api().post("/api/import", "{\"entities\":["
                + "{\"key\":\"zone/hq/floor-1\"},{\"key\":\"zone/hq/floor-1/room-2\"},{\"key\":\"zone/hq/lobby\"}],"
                + "\"edges\":[{\"from\":\"zone/hq/floor-1/room-2\",\"kind\":\"partOf\",\"to\":\"zone/hq/floor-1\"},"
                + "{\"from\":\"device/floor-a\",\"kind\":\"in\",\"to\":\"zone/hq/floor-1\"},"
                + "{\"from\":\"device/room-b\",\"kind\":\"in\",\"to\":\"zone/hq/floor-1/room-2\"},"
                + "{\"from\":\"device/lobby-c\",\"kind\":\"in\",\"to\":\"zone/hq/lobby\"}]}");
        assertThat(imported.status()).as(imported.toString()).isBetween(200, 201);
        JsonNode image = fixture.uploadFirmware("2.0.0", FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode());

        ApiClient.Response created = fixture.api().post("/api/campaigns", "{\"image\":" + image.get("id").asLong()
                + ",\"target\":{\"zone\":\"zone/hq/floor-1\"}}");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(stream(fixture.api().get("/api/campaigns/" + id + "/devices").json().get("devices"))
                .map(device -> device.get("endpoint").asText())).containsExactly("floor-a", "room-b");
        awaitCampaign(id, "succeeded");
        assertThat(clients.stream().map(ReferenceClient::firmwareVersion)).containsExactly("2.0.0", "2.0.0", "1.0.0");
    }

    private ReferenceClient client(String endpoint, UnaryOperator<ReferenceClientBuilder> settings) {
        return fixture.bootstrapClient(fixture.provision(endpoint), settings, new ClientEventListener() {
        });
    }

    private void awaitReporting(List<ReferenceClient> clients) throws InterruptedException {
        for (ReferenceClient client : clients) {
            assertThat(client.awaitRegistered(WITHIN)).as(client.endpoint()).isTrue();
        }
        await().atMost(WITHIN).until(() -> clients.stream().allMatch(client -> fixture.platform().world()
                .value(client.endpoint(), FIRMWARE_VERSION).isPresent()));
    }

    private JsonNode awaitCampaign(long id, String state) {
        return await().atMost(WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> fixture.api().get("/api/campaigns/" + id).json(),
                        campaign -> campaign.get("state").asText().equals(state)
                                || !campaign.get("state").asText().matches("running|paused") && fail(campaign, state));
    }

    private static boolean fail(JsonNode campaign, String expected) {
        throw new AssertionError("campaign ended " + campaign.get("state").asText() + " instead of " + expected + ": "
                + campaign);
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static byte[] image(int size) {
        byte[] image = new byte[size];
        new Random(size).nextBytes(image);
        return image;
    }
}
