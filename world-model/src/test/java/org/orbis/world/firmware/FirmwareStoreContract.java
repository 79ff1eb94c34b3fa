package org.orbis.world.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.testing.TestClock;

/** What the firmware repository and the campaign store promise, run once per database backend. */
abstract class FirmwareStoreContract {

    private static final byte[] PACKAGE = bytes(200 * 1024 + 17);

    Database database;
    TestClock clock;
    WorldStore world;
    FirmwareStore images;
    CampaignStore campaigns;
    ChangeFeed feed;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        clock = TestClock.atNow();
        world = new WorldStore(database, clock);
        images = new FirmwareStore(database, clock);
        campaigns = new CampaignStore(world);
        feed = new ChangeFeed(world);
        CredentialStore credentials = new CredentialStore(world);
        for (String endpoint : List.of("dev-1", "dev-2", "dev-3", "other")) {
            credentials.provision(endpoint, List.of());
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anUploadIsStreamedInChunksAndReadsBackByteForByte() {
        FirmwareImage image = upload("2.0.0", PACKAGE);

        assertThat(image.size()).isEqualTo(PACKAGE.length);
        assertThat(image.sha256()).isEqualTo(sha256(PACKAGE));
        assertThat(images.content(image.id())).hasValue(PACKAGE);
        assertThat(images.images()).extracting(FirmwareImage::version).containsExactly("2.0.0");
    }

    @Test
    void anUploadWhoseBytesDoNotMatchItsSha256StoresNothing() {
        NewImage claim = new NewImage("orbis-reference", "2.0.0", null, sha256(bytes(10)));

        assertThatThrownBy(() -> images.store(claim, new ByteArrayInputStream(PACKAGE), 1 << 20))
                .isInstanceOfSatisfying(FirmwareRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(FirmwareRejectedException.Reason.MISMATCH))
                .hasMessageContaining(sha256(PACKAGE));
        assertThat(images.images()).isEmpty();
    }

    @Test
    void anUploadOverTheLimitOrEmptyOrTwiceTheSameVersionIsRefused() {
        assertThatThrownBy(() -> images.store(new NewImage("m", "1", null, sha256(PACKAGE)),
                new ByteArrayInputStream(PACKAGE), 100_000)).isInstanceOfSatisfying(FirmwareRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(FirmwareRejectedException.Reason.TOO_LARGE));
        assertThatThrownBy(() -> images.store(new NewImage("m", "1", null, sha256(new byte[0])),
                new ByteArrayInputStream(new byte[0]), 100_000)).isInstanceOfSatisfying(FirmwareRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(FirmwareRejectedException.Reason.EMPTY));
        upload("2.0.0", PACKAGE);
        assertThatThrownBy(() -> upload("2.0.0", PACKAGE)).isInstanceOfSatisfying(FirmwareRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(FirmwareRejectedException.Reason.DUPLICATE));
        assertThat(images.images()).hasSize(1);
    }

    @Test
    void anImageACampaignUsesCannotBeDeleted() {
        FirmwareImage used = upload("2.0.0", PACKAGE);
        FirmwareImage unused = upload("2.0.1", PACKAGE);
        campaigns.create(campaign(used), List.of("dev-1"));

        assertThatThrownBy(() -> images.delete(used.id())).isInstanceOfSatisfying(FirmwareRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(FirmwareRejectedException.Reason.IN_USE));
        assertThat(images.delete(unused.id())).isTrue();
        assertThat(images.content(unused.id())).isEmpty();
    }

    @Test
    void aCampaignStartsRunningWithItsDevicesPendingInRolloutOrder() {
        FirmwareImage image = upload("2.0.0", PACKAGE);
        long head = feed.head();

        Campaign created = campaigns.create(campaign(image), List.of("dev-3", "dev-1", "dev-2"));

        assertThat(created.state()).isEqualTo(CampaignState.RUNNING);
        assertThat(feed.readAfter(head, 10)).singleElement().satisfies(event -> assertThat(event.detail())
                .contains("\"campaignState\":\"running\"", "\"progress\":{\"total\":3,\"pending\":3"));
        assertThat(created.policy().concurrency()).isEqualTo(2);
        assertThat(campaigns.devices(created.id(), null, 0, 10)).extracting(CampaignDevice::endpoint, CampaignDevice::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dev-3", DeviceUpdateState.PENDING),
                        org.assertj.core.groups.Tuple.tuple("dev-1", DeviceUpdateState.PENDING),
                        org.assertj.core.groups.Tuple.tuple("dev-2", DeviceUpdateState.PENDING));
        assertThat(campaigns.progress(created.id())).isEqualTo(new CampaignProgress(3, 3, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aDeviceIsInOneUnfinishedCampaignAtATime() {
        FirmwareImage image = upload("2.0.0", PACKAGE);
        Campaign first = campaigns.create(campaign(image), List.of("dev-1", "dev-2"));

        assertThatThrownBy(() -> campaigns.create(campaign(image), List.of("dev-3", "dev-2")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dev-2").hasMessageNotContaining("dev-3");

        campaigns.setState(first.id(), CampaignState.ABORTED, "operator");
        assertThat(campaigns.create(campaign(image), List.of("dev-3", "dev-2")).state()).isEqualTo(CampaignState.RUNNING);
    }

    @Test
    void everyDeviceTransitionIsAFirmwareEventWithTheCampaignsProgressAndCanStartANewBaseline() {
        FirmwareImage image = upload("2.0.0", PACKAGE);
        Campaign created = campaigns.create(campaign(image), List.of("dev-1", "dev-2"));
        long head = feed.head();
        CampaignDevice device = campaigns.device(created.id(), "dev-1").orElseThrow();

        CampaignDevice stored = world.inFeedTransaction(tx -> campaigns.update(tx, device.edit()
                .state(DeviceUpdateState.TRANSFERRING).delivery(Delivery.PULL).attempts(1).startedAt(clock.instant())
                .detail("package URI written").done(), true));

        List<ChangeEvent> events = feed.readAfter(head, 10);
        assertThat(events).hasSize(1);
        ChangeEvent event = events.get(0);
        assertThat(event.kind()).isEqualTo(ChangeEvent.Kind.FIRMWARE);
        assertThat(event.endpoint()).isEqualTo("dev-1");
        assertThat(event.detail()).contains("\"campaign\":" + created.id(), "\"version\":\"2.0.0\"",
                "\"state\":\"transferring\"", "\"delivery\":\"pull\"", "\"campaignState\":\"running\"",
                "\"progress\":{\"total\":2,\"pending\":1,\"transferring\":1");
        assertThat(stored.baselineSeq()).isEqualTo(event.sequence());
        assertThat(stored.state()).isEqualTo(DeviceUpdateState.TRANSFERRING);
        assertThat(campaigns.isTransferring("dev-1", image.id())).isTrue();
        assertThat(campaigns.isTransferring("dev-2", image.id())).isFalse();
        assertThat(campaigns.startedSince(created.id(), clock.instant().minus(Duration.ofMinutes(1)))).isEqualTo(1);
        assertThat(campaigns.openEntry("dev-1")).map(CampaignDevice::campaignId).hasValue(created.id());
    }

    @Test
    void aCampaignEndsWithItsLastDeviceSucceededIfAllDidElseFailed() {
        FirmwareImage image = upload("2.0.0", PACKAGE);
        Campaign allGood = campaigns.create(campaign(image), List.of("dev-1", "dev-2"));
        finish(allGood, "dev-1", DeviceUpdateState.SUCCEEDED);
        assertThat(campaigns.campaign(allGood.id()).orElseThrow().state()).isEqualTo(CampaignState.RUNNING);
        long head = feed.head();

        finish(allGood, "dev-2", DeviceUpdateState.SUCCEEDED);

        assertThat(campaigns.campaign(allGood.id()).orElseThrow().state()).isEqualTo(CampaignState.SUCCEEDED);
        List<ChangeEvent> events = feed.readAfter(head, 10);
        assertThat(events).extracting(event -> event.key().value())
                .containsExactly("campaign/" + allGood.id(), "device/dev-2");
        assertThat(events.get(0).endpoint()).isNull();
        assertThat(events.get(0).detail()).contains("\"campaignState\":\"succeeded\"",
                "\"reason\":\"all 2 devices report the new version\"");
        assertThat(events.get(1).detail()).contains("\"campaignState\":\"succeeded\"");

        Campaign mixed = campaigns.create(campaign(image), List.of("dev-3"));
        finish(mixed, "dev-3", DeviceUpdateState.FAILED);
        Campaign ended = campaigns.campaign(mixed.id()).orElseThrow();
        assertThat(ended.state()).isEqualTo(CampaignState.FAILED);
        assertThat(ended.reason()).isEqualTo("1 of 1 devices failed");
    }

    private void finish(Campaign campaign, String endpoint, DeviceUpdateState state) {
        CampaignDevice device = campaigns.device(campaign.id(), endpoint).orElseThrow();
        world.inFeedTransaction(tx -> campaigns.update(tx, device.edit().state(state).finishedAt(clock.instant())
                .done(), false));
    }

    @Test
    void aFinalStateStampsTheCampaignsEnd() {
        Campaign created = campaigns.create(campaign(upload("2.0.0", PACKAGE)), List.of("dev-1"));
        clock.advance(Duration.ofMinutes(5));
        long head = feed.head();

        Campaign done = campaigns.setState(created.id(), CampaignState.SUCCEEDED, null);

        assertThat(feed.readAfter(head, 10)).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ChangeEvent.Kind.FIRMWARE);
            assertThat(event.key()).isEqualTo(CampaignStore.key(created.id()));
        });
        assertThat(done.finishedAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(campaigns.openCampaigns()).isEmpty();
        assertThat(campaigns.campaigns(CampaignState.SUCCEEDED, 0, 10)).extracting(Campaign::id).containsExactly(created.id());
    }

    @Test
    void targetingReadsTheModelAndVersionDevicesReport() {
        world.commit(List.of(reported("dev-1", 1, "orbis-reference"), reported("dev-1", 3, "1.0.0"),
                reported("dev-2", 1, "orbis-reference"), reported("dev-2", 3, "2.0.0"), reported("other", 1, "toaster")));

        assertThat(campaigns.deviceFirmware(null)).contains(new DeviceFirmware("dev-1", "orbis-reference", "1.0.0"),
                new DeviceFirmware("dev-2", "orbis-reference", "2.0.0"), new DeviceFirmware("dev-3", null, null),
                new DeviceFirmware("other", "toaster", null));
        assertThat(campaigns.deviceFirmware(List.of("dev-2"))).containsExactly(
                new DeviceFirmware("dev-2", "orbis-reference", "2.0.0"));
    }

    private ReportedValue reported(String endpoint, int resource, String value) {
        return new ReportedValue(endpoint, ResourcePath.of(3, 0, resource), TypedValue.ofString(value), null,
                clock.instant());
    }

    private FirmwareImage upload(String version, byte[] content) {
        return images.store(new NewImage("orbis-reference", version, null, sha256(content)),
                new ByteArrayInputStream(content), 1 << 20);
    }

    private static NewCampaign campaign(FirmwareImage image) {
        return new NewCampaign("roll " + image.version(), image.id(), Delivery.AUTO, "{\"model\":\"orbis-reference\"}",
                new CampaignPolicy(10, 2, 0, 0.5, 3, Duration.ofSeconds(5), Duration.ofMinutes(10)));
    }

    static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
