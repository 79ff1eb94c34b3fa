package org.orbis.world.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.credentials.DuplicateCredentialException;
import org.orbis.world.credentials.PskCredential;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.Registration;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.WorldUpdate.DeviceStateChange;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/** What the world model's storage promises, run once per database backend by the subclasses. */
abstract class WorldStoreContract {

    private static final ResourcePath TEMPERATURE = ResourcePath.parse("/3303/0/5700");

    Database database;
    WorldStore store;
    ChangeFeed feed;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        store = new WorldStore(database, Clock.systemUTC());
        feed = new ChangeFeed(store);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void reportedValueBecomesCurrentWithRevisionOneAndAFeedEntry() {
        List<ChangeEvent> events = store.commit(List.of(temperature("dev-1", 21.5)));

        ResourceValue value = store.value("dev-1", TEMPERATURE).orElseThrow();
        assertThat(value.value()).isEqualTo(TypedValue.ofFloat(21.5));
        assertThat(value.revision()).isEqualTo(1);
        assertThat(value.key().value()).isEqualTo("device/dev-1/3303/0/5700");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ChangeEvent.Kind.VALUE);
            assertThat(event.sequence()).isEqualTo(value.sequence());
            assertThat(event.value().json()).isEqualTo(21.5);
        });
        assertThat(feed.readAfter(0, 10)).containsExactlyElementsOf(events);
    }

    @Test
    void changedValueBumpsRevisionButRepeatedValueIsNotAChange() {
        store.commit(List.of(temperature("dev-1", 20.0)));
        store.commit(List.of(temperature("dev-1", 20.0)));
        store.commit(List.of(temperature("dev-1", 22.25)));

        assertThat(store.value("dev-1", TEMPERATURE).orElseThrow().revision()).isEqualTo(2);
        assertThat(feed.readAfter(0, 10)).extracting(event -> event.value().json()).containsExactly(20.0, 22.25);
    }

    @Test
    void oneBatchCanCarryManyValuesOfOneResourceInOrder() {
        store.commit(List.of(temperature("dev-1", 1.0), temperature("dev-1", 2.0), temperature("dev-1", 3.0)));

        ResourceValue value = store.value("dev-1", TEMPERATURE).orElseThrow();
        assertThat(value.value().json()).isEqualTo(3.0);
        assertThat(value.revision()).isEqualTo(3);
        assertThat(feed.readAfter(0, 10)).extracting(ChangeEvent::revision).containsExactly(1L, 2L, 3L);
    }

    @Test
    void everyLwm2mTypeRoundTrips() {
        Instant now = Instant.parse("2026-11-23T10:15:30Z");
        List<TypedValue> values = List.of(TypedValue.ofInteger(-42), TypedValue.ofFloat(3.5), TypedValue.ofBoolean(true),
                TypedValue.ofString("Orbis ✓"), TypedValue.ofOpaque(new byte[] {1, 2, (byte) 0xff}),
                TypedValue.ofTime(now), TypedValue.ofObjectLink(3, 0), TypedValue.ofUnsigned(java.math.BigInteger.TEN));
        List<WorldUpdate> updates = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            updates.add(new ReportedValue("dev-1", ResourcePath.of(33000, 0, i), values.get(i), now, now));
        }
        store.commit(updates);

        assertThat(store.values("dev-1")).extracting(ResourceValue::value).containsExactlyElementsOf(values);
        assertThat(store.values("dev-1").get(0).deviceTime()).isEqualTo(now);
    }

    @Test
    void resourceInstancesAreNodesOfTheirOwn() {
        store.commit(List.of(
                new ReportedValue("dev-1", ResourcePath.of(4, 0, 4, 0), TypedValue.ofString("10.0.0.1"), null, Instant.now()),
                new ReportedValue("dev-1", ResourcePath.of(4, 0, 4, 1), TypedValue.ofString("fe80::1"), null, Instant.now())));

        assertThat(store.values("dev-1")).extracting(value -> value.key().value())
                .containsExactly("device/dev-1/4/0/4/0", "device/dev-1/4/0/4/1");
    }

    @Test
    void feedResumesAfterAnySequenceWithoutLosingOrRepeatingChanges() {
        for (int i = 0; i < 5; i++) {
            store.commit(List.of(temperature("dev-1", i), temperature("dev-2", i)));
        }
        List<ChangeEvent> all = feed.readAfter(0, 100);
        assertThat(all).hasSize(10);
        assertThat(all).extracting(ChangeEvent::sequence).isSorted().doesNotHaveDuplicates();

        long middle = all.get(3).sequence();
        assertThat(feed.readAfter(middle, 100)).containsExactlyElementsOf(all.subList(4, 10));
        assertThat(feed.head()).isEqualTo(all.get(9).sequence());
    }

    @Test
    void concurrentCommitsProduceAGapFreeSequenceInCommitOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String endpoint = "dev-" + t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.commit(List.of(temperature(endpoint, i), temperature(endpoint, i + 0.5)));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<ChangeEvent> all = feed.readAfter(0, 1000);
        assertThat(all).hasSize(200);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).sequence()).isEqualTo(i + 1L);
        }
        for (int t = 0; t < 4; t++) {
            assertThat(store.value("dev-" + t, TEMPERATURE).orElseThrow().revision()).isEqualTo(50);
        }
    }

    @Test
    void registrationMakesADeviceOnlineAndExpiryMakesItOffline() {
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        Registration registration = new Registration("reg-1", "1.1", "U", 300, false, "127.0.0.1:5000", "</3/0>,</3303/0>", at);
        store.commit(List.of(new DeviceStateChange("dev-1", DeviceState.ONLINE, registration, at)));

        Device device = store.device("dev-1").orElseThrow();
        assertThat(device.state()).isEqualTo(DeviceState.ONLINE);
        assertThat(device.registration()).isEqualTo(registration);
        assertThat(device.lastSeen()).isEqualTo(at);

        store.commit(List.of(new DeviceStateChange("dev-1", DeviceState.OFFLINE, null, at.plusSeconds(400))));
        assertThat(store.device("dev-1").orElseThrow().state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(feed.readAfter(0, 10)).extracting(ChangeEvent::state)
                .containsExactly(DeviceState.ONLINE, DeviceState.OFFLINE);
    }

    @Test
    void devicesArePagedFilteredByStateAndSearchedByEndpoint() {
        CredentialStore credentials = new CredentialStore(store);
        for (int i = 0; i < 12; i++) {
            credentials.provision(String.format("sensor-%02d", i), List.of());
        }
        store.commit(List.of(new DeviceStateChange("sensor-03", DeviceState.ONLINE, null, Instant.now())));

        DevicePage page = store.devices(new DeviceQuery(null, null, 5, 5));
        assertThat(page.total()).isEqualTo(12);
        assertThat(page.devices()).extracting(Device::endpoint)
                .containsExactly("sensor-05", "sensor-06", "sensor-07", "sensor-08", "sensor-09");
        assertThat(store.devices(new DeviceQuery(DeviceState.ONLINE, null, 0, 10)).devices())
                .extracting(Device::endpoint).containsExactly("sensor-03");
        assertThat(store.devices(new DeviceQuery(null, "SOR-1", 0, 10)).devices())
                .extracting(Device::endpoint).containsExactly("sensor-10", "sensor-11");
        assertThat(store.devices(new DeviceQuery(null, "_", 0, 10)).total()).isZero();
        assertThat(store.countByState()).containsEntry(DeviceState.NEVER, 11L).containsEntry(DeviceState.ONLINE, 1L);
    }

    @Test
    void provisioningIsAllOrNothing() {
        CredentialStore credentials = new CredentialStore(store);
        credentials.provision("dev-1", List.of(psk("dev-1", CredentialPurpose.BOOTSTRAP, "id-1"),
                psk("dev-1", CredentialPurpose.DM, "id-1")));

        assertThatThrownBy(() -> credentials.provision("dev-2", List.of(psk("dev-2", CredentialPurpose.BOOTSTRAP, "id-2"),
                psk("dev-2", CredentialPurpose.DM, "id-1"))))
                .isInstanceOf(DuplicateCredentialException.class).hasMessageContaining("id-1");
        assertThat(store.device("dev-2")).isEmpty();
        assertThat(credentials.findByIdentity(CredentialPurpose.BOOTSTRAP, "id-2")).isEmpty();

        assertThatThrownBy(() -> credentials.provision("dev-1", List.of()))
                .isInstanceOf(DuplicateCredentialException.class).hasMessageContaining("dev-1");
        assertThat(credentials.findByIdentity(CredentialPurpose.DM, "id-1").orElseThrow().endpoint()).isEqualTo("dev-1");
        assertThat(credentials.findByEndpoint(CredentialPurpose.DM, "dev-1").orElseThrow().keyHex())
                .isEqualTo("0102030405060708");
    }

    @Test
    void writerGroupCommitsManyUpdatesInFewTransactions() throws Exception {
        try (WorldWriter writer = new WorldWriter(store, 10_000, 500)) {
            for (int i = 0; i < 2_000; i++) {
                writer.submit(new ReportedValue("dev-" + (i % 20), ResourcePath.of(3303, 0, 5700),
                        TypedValue.ofFloat(i), null, Instant.now()));
            }
            assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
            WorldWriter.Stats stats = writer.stats();
            assertThat(stats.committedChanges()).isEqualTo(2_000);
            assertThat(stats.batches()).isLessThan(200);
            assertThat(stats.failed()).isZero();
        }
        assertThat(feed.head()).isEqualTo(2_000);
        assertThat(store.value("dev-19", TEMPERATURE).orElseThrow().value().json()).isEqualTo(1999.0);
    }

    @Test
    void awaitingReaderWakesAsSoonAsSomethingIsCommitted() throws Exception {
        long head = feed.head();
        Thread committer = new Thread(() -> store.commit(List.of(temperature("dev-1", 5.0))));
        committer.start();
        List<ChangeEvent> events = feed.awaitAfter(head, 10, Duration.ofSeconds(30));
        committer.join();
        assertThat(events).hasSize(1);
        assertThat(feed.awaitAfter(events.get(0).sequence(), 10, Duration.ofMillis(50))).isEmpty();
    }

    private static ReportedValue temperature(String endpoint, double celsius) {
        return new ReportedValue(endpoint, TEMPERATURE, TypedValue.ofFloat(celsius), null, Instant.now());
    }

    private static PskCredential psk(String endpoint, CredentialPurpose purpose, String identity) {
        return new PskCredential(endpoint, purpose, identity, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }
}
