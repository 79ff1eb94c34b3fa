package org.orbis.console.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.client.ReferenceClient;
import org.orbis.console.testing.Browser;
import org.orbis.console.testing.ApiClient;
import org.orbis.console.testing.PlatformFixture;
import org.orbis.world.access.Role;
import org.orbis.world.store.DatabaseSettings;

/**
 * The console in a real headless Chromium against a real platform: 500 provisioned devices, a few real reference
 * clients online over DTLS, and operators who sign in, search, watch, switch, provision and lose their connection.
 */
@Tag("browser")
class ConsoleBrowserTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String VIEWER = "vera";
    private static final String VIEWER_PASSWORD = "vera-password-1";

    @TempDir
    static Path dataDir;
    static PlatformFixture fixture;
    static String baseUrl;
    static ReferenceClient lamp;
    static ReferenceClient second;

    @RegisterExtension
    final Browser browser = new Browser();

    @BeforeAll
    static void startPlatformWith500Devices() throws Exception {
        fixture = new PlatformFixture(DatabaseSettings.embeddedH2(dataDir)).start();
        baseUrl = fixture.api().base();
        for (int i = 1; i <= 500; i++) {
            String endpoint = String.format("fleet-%04d", i);
            if (i != 117 && i != 333) {
                fixture.platform().provisioning().provision(ProvisioningRequest.generated(endpoint));
            }
        }
        lamp = fixture.bootstrapClient(fixture.provision("fleet-0117"));
        second = fixture.bootstrapClient(fixture.provision("fleet-0333"));
        assertThat(lamp.awaitRegistered(WITHIN)).isTrue();
        assertThat(second.awaitRegistered(WITHIN)).isTrue();
        fixture.userWithRole(VIEWER, Role.VIEWER, VIEWER_PASSWORD);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void anOperatorFindsOneDeviceAmong500WatchesItsTemperatureAndSwitchesItsLight() {
        browser.signIn(baseUrl, PlatformFixture.ADMIN, PlatformFixture.ADMIN_PASSWORD);
        browser.find(By.cssSelector("a[data-nav='devices']")).click();
        browser.untilText(By.id("device-summary"), text -> text.endsWith("of 500"), "the list counts 500 devices");

        browser.visible(By.id("device-search")).sendKeys("0117");
        browser.untilText(By.id("device-summary"), text -> text.equals("1–1 of 1"), "one device matches '0117'");
        WebElement link = browser.find(By.cssSelector("#device-rows a.device-link"));
        assertThat(link.getText()).isEqualTo("fleet-0117");
        markPage();
        link.click();

        By temperature = By.id("value-/3303/0/5700");
        browser.untilText(temperature, text -> text.matches("-?\\d+(\\.\\d+)?"), "the temperature is shown");
        String first = browser.text(temperature);
        browser.untilText(temperature, text -> !text.equals(first) && text.matches("-?\\d+(\\.\\d+)?"),
                "the temperature changes on screen (it was " + first + ")");
        assertThat(browser.text(By.id("device-state"))).isEqualTo("online");
        browser.find(By.id("chart-/3303/0/5700")).click();
        browser.untilText(By.id("chart-note"), text -> text.startsWith("Last 24 hours"),
                "the chart starts from the stored history");

        assertThat(lamp.isLightOn()).isFalse();
        browser.find(By.id("write-/3311/0/5850")).click();
        new Select(browser.visible(By.id("input-/3311/0/5850"))).selectByValue("true");
        browser.find(By.id("send-write-/3311/0/5850")).click();
        browser.untilText(By.id("op-result"), text -> text.contains("Write /3311/0/5850: CHANGED"),
                "the write is confirmed by the device");
        browser.untilText(By.id("value-/3311/0/5850"), "true"::equals, "the light shows on");
        assertThat(lamp.isLightOn()).as("the reference client's light").isTrue();
        assertPageNeverReloaded();
    }

    @Test
    void aDeviceProvisionedInTheConsoleAppearsOnlineWhenItsClientStartsWithTheShownCommand() {
        browser.signIn(baseUrl, PlatformFixture.ADMIN, PlatformFixture.ADMIN_PASSWORD);
        browser.find(By.cssSelector("a[data-nav='provision']")).click();
        browser.visible(By.id("provision-endpoint")).sendKeys("made-in-ui-1");
        browser.find(By.id("provision-submit")).click();
        String command = browser.visible(By.id("client-command")).getText();
        assertThat(command).startsWith("java -jar constrained-client/target/orbis-client.jar --bootstrap coaps://")
                .contains("--endpoint made-in-ui-1");
        markPage();
        browser.find(By.linkText("Open the device")).click();
        browser.untilText(By.id("device-state"), "never"::equals, "the new device was never seen");

        ReferenceClient client = fixture.startClient(ReferenceClient.builder().endpoint(argument(command, "--endpoint"))
                .bootstrapServer(URI.create(argument(command, "--bootstrap")))
                .pskIdentity(argument(command, "--psk-identity"))
                .pskKey(HexFormat.of().parseHex(argument(command, "--psk-key"))));
        browser.untilText(By.id("device-state"), "online"::equals, "the device appears online without a reload");
        assertThat(client.isRegistered()).isTrue();
        browser.untilText(By.id("value-/3/0/0"), "Orbis"::equals, "its Device object is shown");
        assertPageNeverReloaded();
    }

    @Test
    void theWorldPageShowsZonesWithTheirDevicesAndLiveTemperaturesAndLinksNewEntities() {
        ApiClient.Response imported = fixture.api().post("/api/import", "{\"entities\":[{\"key\":\"site/hq\",\"label\":\"HQ\"},"
                + "{\"key\":\"zone/hq/lab\",\"label\":\"Lab\"}],\"edges\":[{\"from\":\"zone/hq/lab\",\"kind\":\"partOf\","
                + "\"to\":\"site/hq\"},{\"from\":\"device/fleet-0117\",\"kind\":\"in\",\"to\":\"zone/hq/lab\"}]}");
        assertThat(imported.status()).as(imported.toString()).isBetween(200, 201);
        browser.signIn(baseUrl, PlatformFixture.ADMIN, PlatformFixture.ADMIN_PASSWORD);
        browser.find(By.cssSelector("a[data-nav='world']")).click();

        browser.untilText(By.id("world-tree"), text -> text.contains("HQ") && text.contains("Lab")
                && text.contains("fleet-0117"), "the site, its zone and the device placed in it");
        By temperature = By.id("world-temp-fleet-0117");
        browser.untilText(temperature, text -> text.matches("-?\\d+(\\.\\d+)?"), "the device's temperature is shown");
        String first = browser.text(temperature);
        browser.untilText(temperature, text -> !text.equals(first), "the temperature changes live (it was " + first + ")");

        browser.visible(By.id("entity-key")).sendKeys("zone/hq/office");
        browser.find(By.id("entity-label")).sendKeys("Office");
        browser.find(By.cssSelector("#entity-form button[type=submit]")).click();
        browser.visible(By.id("edge-from")).sendKeys("zone/hq/office");
        browser.find(By.id("edge-kind")).clear();
        browser.find(By.id("edge-kind")).sendKeys("partOf");
        browser.find(By.id("edge-to")).sendKeys("site/hq");
        browser.find(By.cssSelector("#edge-form button[type=submit]")).click();
        browser.untilText(By.id("world-tree"), text -> text.contains("Office"), "the new zone appears under the site");
        assertThat(fixture.api().get("/api/edges?node=zone/hq/office").body()).contains("site/hq");
    }

    @Test
    void aViewerCannotWriteAndTheConsoleSaysWhy() {
        browser.expectSevere(message -> message.contains("/api/devices/fleet-0333/write") && message.contains("403"));
        browser.signIn(baseUrl, VIEWER, VIEWER_PASSWORD);
        assertThat(browser.visible(By.id("role-banner")).getText()).contains("Read-only").contains("viewer");
        assertThat(browser.driver().findElement(By.cssSelector("a[data-nav='users']")).isDisplayed()).isFalse();
        browser.open(baseUrl + "/#/devices/fleet-0333");
        browser.untilText(By.id("device-state"), "online"::equals, "the device page is shown");
        browser.find(By.id("write-/3311/0/5850")).click();
        new Select(browser.visible(By.id("input-/3311/0/5850"))).selectByValue("true");
        browser.find(By.id("send-write-/3311/0/5850")).click();
        browser.untilText(By.id("op-result"), text -> text.contains("HTTP 403"), "the API refused the write");
        assertThat(browser.text(By.id("op-result"))).contains("Not allowed for your role")
                .contains("'vera' has the role viewer").contains("needs operator");
        assertThat(second.isLightOn()).as("nothing reached the device").isFalse();
    }

    @Test
    void whenTheEventStreamDropsThePageShowsReconnectingAndCatchesUpOnWhatItMissed() throws Exception {
        browser.signIn(baseUrl, PlatformFixture.ADMIN, PlatformFixture.ADMIN_PASSWORD);
        browser.open(baseUrl + "/#/devices/fleet-0333");
        browser.untilText(By.id("live-status"), "live"::equals, "the stream is live");
        browser.untilText(By.id("device-state"), "online"::equals, "the device page is shown");
        markPage();

        org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> fixture.platform().http().dropEventStreams() > 0);
        browser.untilText(By.id("live-status"), text -> text.startsWith("reconnecting"), "the page says it reconnects");
        assertThat(fixture.api().post("/api/devices/fleet-0333/write", "{\"path\":\"/3311/0/5851\",\"value\":77}")
                .status()).isEqualTo(200);
        assertThat(fixture.platform().writer().flush(WITHIN)).isTrue();
        assertThat(browser.text(By.id("live-status"))).as("the change was committed while the page was disconnected")
                .startsWith("reconnecting");

        browser.untilText(By.id("live-status"), "live"::equals, "the stream is live again");
        browser.untilText(By.id("value-/3311/0/5851"), "77"::equals, "the missed change is caught up");
        assertPageNeverReloaded();
    }

    /** Sets a marker that a reload would wipe. */
    private void markPage() {
        ((JavascriptExecutor) browser.driver()).executeScript("window.orbisTestMarker = 'still here';");
    }

    private void assertPageNeverReloaded() {
        assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.orbisTestMarker;"))
                .as("the page was not reloaded").isEqualTo("still here");
    }

    private static String argument(String command, String flag) {
        Matcher matcher = Pattern.compile(Pattern.quote(flag) + " (\\S+)").matcher(command);
        if (!matcher.find()) {
            throw new AssertionError(flag + " is missing from the shown command: " + command);
        }
        return matcher.group(1);
    }
}
