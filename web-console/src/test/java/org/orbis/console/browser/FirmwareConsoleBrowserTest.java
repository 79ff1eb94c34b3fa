package org.orbis.console.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.orbis.client.ClientEventListener;
import org.orbis.client.ReferenceClient;
import org.orbis.client.firmware.FirmwarePackage;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.Browser;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.server.firmware.FirmwareSettings;
import org.orbis.world.access.Role;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.store.DatabaseSettings;

/**
 * The console's Firmware page in a real headless Chromium against a real platform with three reference clients on
 * DTLS: an admin uploads a package through the file input and rolls it out while the page follows every device, bad
 * uploads and empty targets are explained on the page, an operator pauses, resumes and aborts, and a viewer watches a
 * campaign without the controls.
 */
@Tag("browser")
class FirmwareConsoleBrowserTest {

    private static final Duration ROLLOUT = Duration.ofSeconds(40);
    private static final ResourcePath FIRMWARE_VERSION = ResourcePath.of(3, 0, 3);
    private static final List<String> DEVICES = List.of("fw-ui-1", "fw-ui-2", "fw-ui-3");
    /** Provisioned, never connected: a campaign for it stays running, for the viewer to watch. */
    private static final String SILENT_DEVICE = "fw-ui-silent";
    private static final String VIEWER = "vic";
    private static final String VIEWER_PASSWORD = "vic-password-1";
    private static final String OPERATOR = "otto";
    private static final String OPERATOR_PASSWORD = "otto-password-1";
    private static final byte[] IMAGE = new byte[24 * 1024];
    private static final long MAX_PACKAGE = 256 * 1024;

    @TempDir
    static Path dataDir;
    static PlatformFixture fixture;
    static String baseUrl;
    static List<ReferenceClient> clients;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeAll
    static void startPlatformWithThreeReferenceClients() throws Exception {
        new Random(7).nextBytes(IMAGE);
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir), settings -> settings
                .withFirmware(FirmwareSettings.defaults().withPollInterval(Duration.ofSeconds(3))
                        .withMaxPackageBytes(MAX_PACKAGE))).start();
        baseUrl = fixture.api().base();
        clients = DEVICES.stream().map(endpoint -> fixture.bootstrapClient(fixture.provision(endpoint), b -> b,
                new ClientEventListener() {
                })).toList();
        fixture.provision(SILENT_DEVICE);
        fixture.userWithRole(VIEWER, Role.VIEWER, VIEWER_PASSWORD);
        for (ReferenceClient client : clients) {
            assertThat(client.awaitRegistered(ROLLOUT)).as(client.endpoint()).isTrue();
        }
        await().atMost(ROLLOUT).until(() -> clients.stream().allMatch(client -> fixture.platform().world()
                .value(client.endpoint(), FIRMWARE_VERSION).isPresent()));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void anAdminUploadsAPackageThroughThePageAndWatchesACampaignUpdateEveryDevice() throws Exception {
        Path packageFile = dataDir.resolve("orbis-reference-2.0.0.bin");
        Files.write(packageFile, FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode());
        browser.signIn(baseUrl, PlatformFixture.ADMIN, PlatformFixture.ADMIN_PASSWORD);
        browser.find(By.cssSelector("a[data-nav='firmware']")).click();
        markPage();

        browser.visible(By.id("image-file")).sendKeys(packageFile.toAbsolutePath().toString());
        browser.until(d -> "2.0.0".equals(d.findElement(By.id("image-version")).getAttribute("value")));
        assertThat(browser.find(By.id("image-model")).getAttribute("value"))
                .as("model and version come from the package's header").isEqualTo("orbis-reference");
        browser.find(By.id("image-upload-submit")).click();
        browser.untilText(By.id("image-result"), text -> text.startsWith("Uploaded orbis-reference 2.0.0"),
                "the upload is confirmed");
        assertThat(browser.text(By.id("image-result"))).contains("SHA-256 verified");
        browser.untilText(By.id("image-rows"), text -> text.contains("2.0.0"), "the image is listed");
        long image = imageId("2.0.0");
        assertThat(fixture.api().get("/api/firmware/" + image).json().get("sha256").asText())
                .isEqualTo(java.util.HexFormat.of().formatHex(FirmwarePackage.sha256(
                        FirmwarePackage.of("orbis-reference", "2.0.0", IMAGE).encode())));

        new Select(browser.find(By.id("campaign-image"))).selectByValue(String.valueOf(image));
        browser.find(By.id("campaign-name")).sendKeys("UI rollout");
        browser.find(By.id("campaign-endpoints")).sendKeys(String.join("\n", DEVICES));
        assertThat(browser.find(By.id("policy-concurrency")).getAttribute("placeholder"))
                .as("the API's default is shown").isEqualTo("50");
        browser.find(By.id("policy-concurrency")).sendKeys("3");
        browser.find(By.id("campaign-submit")).click();

        browser.untilText(By.id("campaign-state"), text -> !text.isEmpty(), "the campaign's page opens");
        assertThat(browser.driver().getCurrentUrl()).matches(".*#/firmware/campaigns/\\d+");
        browser.untilText(By.cssSelector("#campaign-progress .fw-percent"), "100%"::equals,
                "the progress bar reaches 100%", ROLLOUT);
        browser.untilText(By.id("campaign-state"), "succeeded"::equals, "the campaign ends succeeded");
        assertThat(browser.text(By.id("count-succeeded"))).isEqualTo("3");
        assertThat(browser.text(By.id("count-failed"))).isEqualTo("0");
        for (String endpoint : DEVICES) {
            By row = By.cssSelector("#campaign-device-rows tr[data-endpoint='" + endpoint + "']");
            browser.untilText(row, text -> text.contains("succeeded") && text.contains("1 (success)"),
                    endpoint + " shows succeeded with its Update Result");
            assertThat(browser.find(row).findElement(By.linkText(endpoint)).getAttribute("href"))
                    .endsWith("#/devices/" + endpoint);
        }
        for (ReferenceClient client : clients) {
            assertThat(client.firmwareVersion()).as(client.endpoint()).isEqualTo("2.0.0");
            await().atMost(ROLLOUT).untilAsserted(() -> assertThat(fixture.platform().world()
                    .value(client.endpoint(), FIRMWARE_VERSION).orElseThrow().value().text()).isEqualTo("2.0.0"));
        }

        browser.find(By.linkText("← Firmware")).click();
        browser.untilText(By.id("campaign-rows"), text -> text.contains("UI rollout") && text.contains("100%"),
                "the campaign list shows it done");
        assertPageNeverReloaded();
    }

    @Test
    void aTooLargePackageAPackageWithTheWrongDigestAndACampaignMatchingNoDeviceAreRefusedWithTheReasonOnThePage()
            throws Exception {
        browser.expectSevere(message -> message.contains("/api/firmware") && message.contains("422"));
        browser.expectSevere(message -> message.contains("/api/campaigns") && message.contains("400"));
        Path packageFile = dataDir.resolve("damaged.bin");
        Files.write(packageFile, FirmwarePackage.of("orbis-reference", "2.0.9", IMAGE).encode());
        long image = fixture.uploadFirmware("2.1.0", FirmwarePackage.of("orbis-reference", "2.1.0", IMAGE).encode())
                .get("id").asLong();
        browser.signIn(baseUrl, PlatformFixture.ADMIN, PlatformFixture.ADMIN_PASSWORD);
        browser.open(baseUrl + "/#/firmware");

        Path tooLarge = dataDir.resolve("too-large.bin");
        Files.write(tooLarge, FirmwarePackage.of("orbis-reference", "2.0.8", new byte[(int) MAX_PACKAGE]).encode());
        browser.untilText(By.id("firmware-images"), text -> text.contains("At most 256.0 KiB"), "the limit is shown");
        browser.visible(By.id("image-file")).sendKeys(tooLarge.toAbsolutePath().toString());
        browser.find(By.id("image-upload-submit")).click();
        browser.untilText(By.id("image-result"), text -> text.contains("at most 256.0 KiB"), "the page refuses it at once");
        browser.find(By.id("image-model")).clear();
        browser.find(By.id("image-version")).clear();

        browser.find(By.id("image-file")).sendKeys(packageFile.toAbsolutePath().toString());
        browser.until(d -> "2.0.9".equals(d.findElement(By.id("image-version")).getAttribute("value")));
        browser.find(By.id("image-sha256")).sendKeys("ab".repeat(32));
        browser.find(By.id("image-upload-submit")).click();
        browser.untilText(By.id("image-result"), text -> text.contains("HTTP 422"), "the platform refused the upload");
        assertThat(browser.text(By.id("image-result"))).contains("Upload refused").contains("Package does not match")
                .contains("not " + "ab".repeat(32));
        assertThat(fixture.api().get("/api/firmware").body()).doesNotContain("2.0.9").doesNotContain("2.0.8");

        browser.until(d -> d.findElements(By.cssSelector("#campaign-image option[value='" + image + "']")).size() == 1);
        new Select(browser.find(By.id("campaign-image"))).selectByValue(String.valueOf(image));
        browser.find(By.id("campaign-versions")).sendKeys("9.9.9");
        browser.find(By.id("campaign-submit")).click();
        browser.untilText(By.id("campaign-result"), text -> text.contains("HTTP 400"), "the campaign is refused");
        assertThat(browser.text(By.id("campaign-result"))).contains("The campaign was not created")
                .contains("no device matches");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/firmware");
    }

    @Test
    void aViewerWatchesACampaignButHasNoControlsToUploadCreateOrAbort() {
        long image = fixture.uploadFirmware("3.0.0", FirmwarePackage.of("orbis-reference", "3.0.0", IMAGE).encode())
                .get("id").asLong();
        ApiClient.Response created = fixture.api().post("/api/campaigns", "{\"name\":\"silent one\",\"image\":" + image
                + ",\"target\":{\"endpoints\":[\"" + SILENT_DEVICE + "\"]}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        try {
            browser.signIn(baseUrl, VIEWER, VIEWER_PASSWORD);
            browser.find(By.cssSelector("a[data-nav='firmware']")).click();
            browser.untilText(By.id("campaign-rows"), text -> text.contains("silent one"), "the viewer sees the campaign");
            browser.untilText(By.id("image-rows"), text -> text.contains("3.0.0"), "and the image");
            assertThat(browser.driver().findElements(By.id("image-upload"))).as("no upload form").isEmpty();
            assertThat(browser.driver().findElements(By.id("campaign-form"))).as("no campaign form").isEmpty();
            assertThat(browser.driver().findElements(By.cssSelector("#image-rows button"))).as("no delete").isEmpty();
            assertThat(browser.text(By.id("firmware-campaigns"))).contains("needs the operator role");

            browser.find(By.cssSelector("tr[data-campaign='" + id + "'] a.campaign-link")).click();
            browser.untilText(By.id("campaign-state"), "running"::equals, "the campaign's page shows it running");
            browser.untilText(By.id("campaign-device-rows"), text -> text.contains(SILENT_DEVICE), "with its device");
            assertThat(browser.text(By.id("count-total"))).isEqualTo("1");
            assertThat(browser.driver().findElements(By.cssSelector("#campaign-pause, #campaign-resume, #campaign-abort")))
                    .as("no pause, resume or abort for a viewer").isEmpty();
            assertThat(browser.text(By.id("campaign-live"))).contains("need the operator role");
        } finally {
            fixture.api().post("/api/campaigns/" + id + "/abort", "{}");
        }
    }

    @Test
    void anOperatorPausesResumesAndAbortsACampaignFromItsPageAfterConfirming() {
        ApiClient operator = fixture.userWithRole(OPERATOR, Role.OPERATOR, OPERATOR_PASSWORD);
        long image = fixture.uploadFirmware("3.1.0", FirmwarePackage.of("orbis-reference", "3.1.0", IMAGE).encode())
                .get("id").asLong();
        ApiClient.Response created = operator.post("/api/campaigns", "{\"name\":\"to abort\",\"image\":" + image
                + ",\"target\":{\"endpoints\":[\"" + SILENT_DEVICE + "\"]}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        browser.signIn(baseUrl, OPERATOR, OPERATOR_PASSWORD);
        browser.open(baseUrl + "/#/firmware");
        assertThat(browser.visible(By.id("campaign-form")).isDisplayed()).as("operators create campaigns").isTrue();
        assertThat(browser.driver().findElements(By.id("image-upload"))).as("only admins upload").isEmpty();

        browser.find(By.cssSelector("tr[data-campaign='" + id + "'] a.campaign-link")).click();
        browser.untilText(By.id("campaign-state"), "running"::equals, "the campaign runs");
        browser.visible(By.id("campaign-pause")).click();
        browser.untilText(By.id("campaign-state"), "paused"::equals, "the campaign is paused");
        assertThat(fixture.api().get("/api/campaigns/" + id).json().get("state").asText()).isEqualTo("paused");
        assertThat(browser.driver().findElement(By.id("campaign-pause")).isDisplayed()).isFalse();
        browser.visible(By.id("campaign-resume")).click();
        browser.untilText(By.id("campaign-state"), "running"::equals, "the campaign runs again");

        browser.visible(By.id("campaign-abort")).click();
        browser.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(fixture.api().get("/api/campaigns/" + id).json().get("state").asText())
                .as("nothing happens unless the operator confirms").isEqualTo("running");
        browser.find(By.id("campaign-abort")).click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        browser.untilText(By.id("campaign-state"), "aborted"::equals, "the campaign is aborted");
        browser.untilText(By.cssSelector("#campaign-device-rows tr[data-endpoint='" + SILENT_DEVICE + "']"),
                text -> text.contains("cancelled"), "its device shows cancelled");
        assertThat(browser.text(By.id("count-cancelled"))).isEqualTo("1");
        assertThat(fixture.api().get("/api/campaigns/" + id).json().get("state").asText()).isEqualTo("aborted");
    }

    private static long imageId(String version) {
        JsonNode images = fixture.api().get("/api/firmware").json().get("images");
        return StreamSupport.stream(images.spliterator(), false).filter(i -> i.get("version").asText().equals(version))
                .findFirst().orElseThrow().get("id").asLong();
    }

    private void markPage() {
        ((JavascriptExecutor) browser.driver()).executeScript("window.orbisTestMarker = 'still here';");
    }

    private void assertPageNeverReloaded() {
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.orbisTestMarker;"))
                .as("the page was not reloaded").isEqualTo("still here");
    }
}
