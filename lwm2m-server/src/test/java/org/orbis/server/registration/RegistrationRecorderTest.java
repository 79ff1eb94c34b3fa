package org.orbis.server.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.leshan.core.LwM2m.LwM2mVersion;
import org.eclipse.leshan.core.link.DefaultLinkParser;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.Database;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldWriter;
import org.orbis.world.testing.TestDatabases;

/** Leshan's registration and presence events, as the device's state in a real world model on H2 shows them. */
class RegistrationRecorderTest {

    private static final String ENDPOINT = "sensor-7";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Date REGISTERED_AT = Date.from(Instant.parse("2026-03-01T09:59:59.500Z"));

    private Database database;
    private WorldStore store;
    private WorldWriter writer;
    private ChangeFeed feed;
    private RegistrationRecorder recorder;

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.h2());
        store = new WorldStore(database, Clock.systemUTC());
        writer = new WorldWriter(store, 1000, 100);
        feed = new ChangeFeed(store);
        recorder = new RegistrationRecorder(writer, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        writer.close();
        database.close();
    }

    @Test
    void registeredDeviceIsOnlineWithEverythingItDeclared() throws Exception {
        recorder.registered(registration("reg-1", 300L), null, List.of());
        flush();

        Device device = device();
        assertThat(device.state()).isEqualTo(DeviceState.ONLINE);
        assertThat(device.lastSeen()).isEqualTo(NOW);
        org.orbis.world.graph.Registration recorded = device.registration();
        assertThat(recorded.registrationId()).isEqualTo("reg-1");
        assertThat(recorded.lwm2mVersion()).isEqualTo("1.1");
        assertThat(recorded.binding()).isEqualTo("U");
        assertThat(recorded.lifetimeSeconds()).isEqualTo(300);
        assertThat(recorded.queueMode()).isFalse();
        assertThat(recorded.address()).isEqualTo("127.0.0.1:40001");
        assertThat(recorded.objectLinks()).isEqualTo("</1/0>,</3/0>,</3303/0>,</3303/1>");
        assertThat(recorded.registeredAt()).isEqualTo(REGISTERED_AT.toInstant());
        assertThat(deviceStatesInFeed()).containsExactly(DeviceState.ONLINE);
    }

    @Test
    void queueModeDeviceIsRecordedAsUsingQueueMode() throws Exception {
        Registration queued = new Registration.Builder(registration("reg-1", 300L)).queueMode(true).build();

        recorder.registered(queued, null, List.of());
        flush();

        assertThat(device().registration().queueMode()).isTrue();
    }

    @Test
    void ipv6AddressIsRecordedInBrackets() throws Exception {
        Registration overIpv6 = new Registration.Builder("reg-6", ENDPOINT,
                Identity.psk(new InetSocketAddress(InetAddress.getByName("::1"), 5700), ENDPOINT))
                .objectLinks(new DefaultLinkParser().parse("</3/0>".getBytes(StandardCharsets.UTF_8))).build();

        recorder.registered(overIpv6, null, List.of());
        flush();

        assertThat(device().registration().address()).isEqualTo("[0:0:0:0:0:0:0:1]:5700");
    }

    @Test
    void updatedRegistrationKeepsTheDeviceOnlineAndRecordsTheNewLifetime() throws Exception {
        Registration first = registration("reg-1", 300L);
        recorder.registered(first, null, List.of());
        RegistrationUpdate update = new RegistrationUpdate("reg-1", first.getIdentity(), 600L, null, null, null, null);
        Registration updated = update.update(first);

        recorder.updated(update, updated, first);
        flush();

        Device device = device();
        assertThat(device.state()).isEqualTo(DeviceState.ONLINE);
        assertThat(device.registration().registrationId()).isEqualTo("reg-1");
        assertThat(device.registration().lifetimeSeconds()).isEqualTo(600);
        assertThat(deviceStatesInFeed()).containsExactly(DeviceState.ONLINE);
    }

    @Test
    void expiredRegistrationMakesTheDeviceOffline() throws Exception {
        Registration registration = registration("reg-1", 300L);
        recorder.registered(registration, null, List.of());

        recorder.unregistered(registration, List.of(), true, null);
        flush();

        Device device = device();
        assertThat(device.state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(device.registration().registrationId())
                .as("the last registration stays visible to operators").isEqualTo("reg-1");
        assertThat(deviceStatesInFeed()).containsExactly(DeviceState.ONLINE, DeviceState.OFFLINE);
    }

    @Test
    void deregistrationMakesTheDeviceOffline() throws Exception {
        Registration registration = registration("reg-1", 300L);
        recorder.registered(registration, null, List.of());

        recorder.unregistered(registration, List.of(), false, null);
        flush();

        assertThat(device().state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(deviceStatesInFeed()).containsExactly(DeviceState.ONLINE, DeviceState.OFFLINE);
    }

    @Test
    void registrationReplacedByAReRegistrationLeavesTheStateAlone() throws Exception {
        Registration old = registration("reg-1", 300L);
        recorder.registered(old, null, List.of());
        Registration replacement = registration("reg-2", 300L);

        recorder.unregistered(old, List.of(), false, replacement);
        flush();

        assertThat(device().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(deviceStatesInFeed()).containsExactly(DeviceState.ONLINE);
    }

    @Test
    void reRegistrationAsLeshanReportsItSwitchesToTheNewRegistrationWithoutGoingOffline() throws Exception {
        Registration old = registration("reg-1", 300L);
        recorder.registered(old, null, List.of());
        Registration replacement = registration("reg-2", 120L);

        recorder.unregistered(old, List.of(), false, replacement);
        recorder.registered(replacement, old, List.of());
        flush();

        Device device = device();
        assertThat(device.state()).isEqualTo(DeviceState.ONLINE);
        assertThat(device.registration().registrationId()).isEqualTo("reg-2");
        assertThat(device.registration().lifetimeSeconds()).isEqualTo(120);
        assertThat(deviceStatesInFeed()).containsExactly(DeviceState.ONLINE);
    }

    @Test
    void queueModeDeviceSleepsAndWakesWithoutLosingItsRegistration() throws Exception {
        Registration registration = new Registration.Builder(registration("reg-1", 300L)).queueMode(true).build();
        recorder.registered(registration, null, List.of());

        recorder.onSleeping(registration);
        flush();
        assertThat(device().state()).isEqualTo(DeviceState.SLEEPING);
        assertThat(device().registration().registrationId()).isEqualTo("reg-1");

        recorder.onAwake(registration);
        flush();
        assertThat(device().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(device().registration().registrationId()).isEqualTo("reg-1");
        assertThat(deviceStatesInFeed()).containsExactly(DeviceState.ONLINE, DeviceState.SLEEPING, DeviceState.ONLINE);
    }

    @Test
    void eachDeviceKeepsItsOwnState() throws Exception {
        Registration first = registration("reg-1", 300L);
        Registration second = new Registration.Builder("reg-2", "sensor-8", first.getIdentity())
                .objectLinks(first.getObjectLinks()).build();
        recorder.registered(first, null, List.of());
        recorder.registered(second, null, List.of());

        recorder.unregistered(first, List.of(), true, null);
        flush();

        assertThat(store.device(ENDPOINT).orElseThrow().state()).isEqualTo(DeviceState.OFFLINE);
        assertThat(store.device("sensor-8").orElseThrow().state()).isEqualTo(DeviceState.ONLINE);
        assertThat(feed.readAfter(0, 100)).extracting(ChangeEvent::endpoint, ChangeEvent::state).containsExactly(
                tuple(ENDPOINT, DeviceState.ONLINE),
                tuple("sensor-8", DeviceState.ONLINE),
                tuple(ENDPOINT, DeviceState.OFFLINE));
    }

    private static Registration registration(String id, long lifetime) throws UnknownHostException {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40001);
        return new Registration.Builder(id, ENDPOINT, Identity.psk(peer, ENDPOINT))
                .lifeTimeInSec(lifetime)
                .lwM2mVersion(LwM2mVersion.V1_1)
                .bindingMode(EnumSet.of(BindingMode.U))
                .objectLinks(new DefaultLinkParser()
                        .parse("</3303/1>,</1/0>,</3/0>,</3303/0>".getBytes(StandardCharsets.UTF_8)))
                .registrationDate(REGISTERED_AT)
                .build();
    }

    private void flush() throws InterruptedException {
        assertThat(writer.flush(Duration.ofSeconds(10))).as("world writer committed everything").isTrue();
        assertThat(writer.stats().failed()).isZero();
    }

    private Device device() {
        return store.device(ENDPOINT).orElseThrow();
    }

    private List<DeviceState> deviceStatesInFeed() {
        return feed.readAfter(0, 100).stream()
                .filter(event -> event.kind() == ChangeEvent.Kind.DEVICE)
                .map(ChangeEvent::state)
                .toList();
    }
}
