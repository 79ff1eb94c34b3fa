package org.orbis.server.registration.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Token;
import org.eclipse.californium.core.observe.ObservationStoreException;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MapBasedEndpointContext;
import org.eclipse.californium.elements.MapBasedEndpointContext.Attributes;
import org.eclipse.californium.elements.util.Bytes;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.leshan.core.LwM2m.LwM2mVersion;
import org.eclipse.leshan.core.californium.ObserveUtil;
import org.eclipse.leshan.core.link.DefaultLinkParser;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.core.request.ObserveCompositeRequest;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.server.registration.Deregistration;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.eclipse.leshan.server.registration.UpdatedRegistration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;

/**
 * The registration store keeps what Leshan and Californium give it, and a second store opened on the same database
 * (a restarted server) finds all of it again: registrations by id, endpoint, address and identity; observations by
 * token with their endpoint context, and by registration. Run once per database backend by the subclasses.
 */
abstract class RegistrationStoreContract {

    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40001);
    private static final String LINKS = "</>;rt=\"oma.lwm2m\";ct=\"60 110 112 11542 11543\",</1/0>,</3/0>,"
            + "</3303>;ver=1.1,</3303/0>,</3303/1>,</3311/0>";

    private Database database;
    private JdbcRegistrationStore store;
    private final List<JdbcRegistrationStore> opened = new ArrayList<>();
    private int mid = 100;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        store = open(JdbcRegistrationStore.Settings.defaults());
    }

    @AfterEach
    void close() {
        opened.forEach(JdbcRegistrationStore::destroy);
        database.close();
    }

    @Test
    void registrationIsFoundByIdEndpointAddressAndIdentityAfterARestart() {
        Registration registration = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        assertThat(store.addRegistration(registration)).isNull();

        JdbcRegistrationStore restarted = restart();

        Registration loaded = restarted.getRegistration("reg-1");
        assertThat(loaded).isEqualTo(registration);
        assertThat(loaded.getSupportedObject()).containsEntry(3303, "1.1");
        assertThat(loaded.getAvailableInstances()).contains(new LwM2mPath(3303, 1));
        assertThat(restarted.getRegistrationByEndpoint("dev-1")).isEqualTo(registration);
        assertThat(restarted.getRegistrationByAdress(PEER)).isEqualTo(registration);
        assertThat(restarted.getRegistrationByIdentity(Identity.psk(PEER, "dev-1-id"))).isEqualTo(registration);
        assertThat(restarted.getAllRegistrations()).toIterable().containsExactly(registration);
    }

    @Test
    void rawPublicKeyAndCertificateIdentitiesSurviveARestart() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PublicKey key = generator.generateKeyPair().getPublic();
        Registration rpk = registration("reg-rpk", "dev-rpk", Identity.rpk(PEER, key));
        Registration x509 = registration("reg-x509", "dev-x509",
                Identity.x509(new InetSocketAddress("127.0.0.2", 40002), "dev-x509"));
        store.addRegistration(rpk);
        store.addRegistration(x509);

        JdbcRegistrationStore restarted = restart();

        assertThat(restarted.getRegistration("reg-rpk").getIdentity().getRawPublicKey()).isEqualTo(key);
        assertThat(restarted.getRegistration("reg-rpk")).isEqualTo(rpk);
        assertThat(restarted.getRegistration("reg-x509")).isEqualTo(x509);
    }

    @Test
    void registeringAgainReplacesThePreviousRegistrationAndItsObservations() {
        Registration first = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        store.addRegistration(first);
        Token token = observe(store, first, "/3303/0");
        Registration second = registration("reg-2", "dev-1",
                Identity.psk(new InetSocketAddress("127.0.0.1", 40009), "dev-1-id"));

        Deregistration replaced = store.addRegistration(second);

        assertThat(replaced.getRegistration()).isEqualTo(first);
        assertThat(replaced.getObservations()).extracting(o -> new Token(o.getId())).containsExactly(token);
        assertThat(store.get(token)).isNull();
        assertThat(store.getRegistrationByAdress(PEER)).isNull();
        JdbcRegistrationStore restarted = restart();
        assertThat(restarted.getRegistration("reg-1")).isNull();
        assertThat(restarted.getRegistrationByEndpoint("dev-1")).isEqualTo(second);
        assertThat(restarted.get(token)).isNull();
    }

    @Test
    void updateChangesLifetimeAndAddressAndSurvivesARestart() {
        store.addRegistration(registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id")));
        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 40100);

        UpdatedRegistration updated = store.updateRegistration(new RegistrationUpdate("reg-1",
                Identity.psk(moved, "dev-1-id"), 600L, null, null, null, null));

        assertThat(updated.getPreviousRegistration().getLifeTimeInSec()).isEqualTo(300L);
        assertThat(updated.getUpdatedRegistration().getLifeTimeInSec()).isEqualTo(600L);
        assertThat(store.getRegistrationByAdress(PEER)).isNull();
        JdbcRegistrationStore restarted = restart();
        Registration loaded = restarted.getRegistrationByAdress(moved);
        assertThat(loaded).isEqualTo(updated.getUpdatedRegistration());
        assertThat(store.updateRegistration(new RegistrationUpdate("no-such-reg", Identity.psk(PEER, "x"), null, null,
                null, null, null))).isNull();
    }

    @Test
    void deregisteredDeviceIsGoneWithItsObservationsAfterARestart() {
        Registration registration = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        store.addRegistration(registration);
        Token token = observe(store, registration, "/3303/0");

        Deregistration removed = store.removeRegistration("reg-1");

        assertThat(removed.getRegistration()).isEqualTo(registration);
        assertThat(removed.getObservations()).hasSize(1);
        assertThat(store.removeRegistration("reg-1")).isNull();
        JdbcRegistrationStore restarted = restart();
        assertThat(restarted.getRegistrationByEndpoint("dev-1")).isNull();
        assertThat(restarted.get(token)).isNull();
        assertThat(restarted.getObservations("reg-1")).isEmpty();
    }

    @Test
    void expiredRegistrationIsRemovedAndReportedToTheExpirationListener() {
        JdbcRegistrationStore quick = open(JdbcRegistrationStore.Settings.defaults()
                .withExpiryPeriod(Duration.ofMillis(50)).withTouchInterval(Duration.ofMillis(10)));
        List<Registration> expired = new CopyOnWriteArrayList<>();
        List<Observation> expiredObservations = new CopyOnWriteArrayList<>();
        quick.setExpirationListener((registration, observations) -> {
            expired.add(registration);
            expiredObservations.addAll(observations);
        });
        Registration old = new Registration.Builder(registration("reg-old", "dev-old", Identity.psk(PEER, "old")))
                .lifeTimeInSec(60L).lastUpdate(new Date(System.currentTimeMillis() - 120_000)).build();
        Registration alive = registration("reg-alive", "dev-alive",
                Identity.psk(new InetSocketAddress("127.0.0.1", 40002), "alive"));
        quick.addRegistration(old);
        quick.addRegistration(alive);
        observe(quick, old, "/3/0");
        quick.start();

        await().atMost(WITHIN).until(() -> expired.size() == 1);

        assertThat(expired).containsExactly(old);
        assertThat(expiredObservations).hasSize(1);
        assertThat(quick.getRegistration("reg-old")).isNull();
        assertThat(quick.getRegistration("reg-alive")).isEqualTo(alive);
        assertThat(quick.flush(WITHIN)).isTrue();
        assertThat(open(JdbcRegistrationStore.Settings.defaults()).getRegistration("reg-old")).isNull();
    }

    @Test
    void registrationThatExpiredWhileTheServerWasDownExpiresAfterTheRestart() {
        Registration old = new Registration.Builder(registration("reg-old", "dev-old", Identity.psk(PEER, "old")))
                .lifeTimeInSec(60L).lastUpdate(new Date(System.currentTimeMillis() - 600_000)).build();
        store.addRegistration(old);
        assertThat(store.flush(WITHIN)).isTrue();

        JdbcRegistrationStore restarted = open(JdbcRegistrationStore.Settings.defaults()
                .withExpiryPeriod(Duration.ofMillis(50)));
        List<Registration> expired = new CopyOnWriteArrayList<>();
        restarted.setExpirationListener((registration, observations) -> expired.add(registration));
        restarted.start();

        await().atMost(WITHIN).until(() -> expired.size() == 1);
        assertThat(restarted.getRegistrationByEndpoint("dev-old")).isNull();
    }

    @Test
    void observationIsMatchedByTokenWithItsDtlsContextAfterARestart() {
        Registration registration = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        store.addRegistration(registration);
        Token token = observe(store, registration, "/3303/0");
        store.setContext(token, dtlsContext("dev-1-id"));

        JdbcRegistrationStore restarted = restart();

        org.eclipse.californium.core.observe.Observation observation = restarted.get(token);
        assertThat(observation).isNotNull();
        Request request = observation.getRequest();
        assertThat(request.getCode()).isEqualTo(CoAP.Code.GET);
        assertThat(request.getToken()).isEqualTo(token);
        assertThat(request.getOptions().getUriPathString()).isEqualTo("3303/0");
        assertThat(request.getOptions().getAccept()).isEqualTo(ContentFormat.SENML_CBOR.getCode());
        assertThat(request.isObserve()).isTrue();
        assertThat(ObserveUtil.extractRegistrationId(observation)).isEqualTo("reg-1");
        assertThat(ObserveUtil.extractEndpoint(observation)).isEqualTo("dev-1");
        EndpointContext context = observation.getContext();
        assertThat(context.getPeerAddress()).isEqualTo(PEER);
        assertThat(context.getPeerIdentity()).isEqualTo(new PreSharedKeyIdentity("dev-1-id"));
        assertThat(context.getString(DtlsEndpointContext.KEY_CIPHER)).isEqualTo("TLS_PSK_WITH_AES_128_CCM_8");
        assertThat(context.get(DtlsEndpointContext.KEY_SESSION_ID)).isEqualTo(new Bytes(new byte[] {1, 2, 3, 4}));

        Observation leshan = restarted.getObservation("reg-1", token.getBytes());
        assertThat(leshan).isInstanceOfSatisfying(SingleObservation.class,
                single -> assertThat(single.getPath()).isEqualTo(new LwM2mPath("/3303/0")));
        assertThat(restarted.getObservation("another-reg", token.getBytes())).isNull();
        assertThat(restarted.getObservations("reg-1")).hasSize(1);
    }

    @Test
    void compositeObservationSurvivesARestart() {
        Registration registration = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        store.addRegistration(registration);
        ObserveCompositeRequest composite = new ObserveCompositeRequest(ContentFormat.SENML_CBOR,
                ContentFormat.SENML_CBOR, "/3303/0/5700", "/3/0/9");
        Request request = Request.newFetch();
        request.setObserve();
        request.setToken(new byte[] {9, 8, 7, 6});
        request.setMID(mid++);
        request.getOptions().setContentFormat(ContentFormat.SENML_CBOR.getCode());
        request.getOptions().setAccept(ContentFormat.SENML_CBOR.getCode());
        request.setPayload("[{\"n\":\"/3303/0/5700\"},{\"n\":\"/3/0/9\"}]".getBytes(StandardCharsets.UTF_8));
        request.setUserContext(ObserveUtil.createCoapObserveCompositeRequestContext("dev-1", "reg-1", composite));
        store.put(request.getToken(), new org.eclipse.californium.core.observe.Observation(request, null));

        JdbcRegistrationStore restarted = restart();

        Observation loaded = restarted.getObservation("reg-1", new byte[] {9, 8, 7, 6});
        assertThat(loaded).isInstanceOfSatisfying(CompositeObservation.class, c -> assertThat(c.getPaths())
                .containsExactly(new LwM2mPath("/3303/0/5700"), new LwM2mPath("/3/0/9")));
        assertThat(restarted.get(request.getToken()).getRequest().getPayload()).isEqualTo(request.getPayload());
    }

    @Test
    void newObservationOnTheSamePathReplacesTheOldOne() {
        Registration registration = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        store.addRegistration(registration);
        Token first = observe(store, registration, "/3303/0");
        Token other = observe(store, registration, "/3/0");
        Token second = observe(store, registration, "/3303/0");

        var replaced = store.addObservation("reg-1", store.getObservation("reg-1", second.getBytes()));

        assertThat(replaced).extracting(o -> new Token(o.getId())).containsExactly(first);
        assertThat(restart().getObservations("reg-1")).extracting(o -> new Token(o.getId()))
                .containsExactlyInAnyOrder(other, second);
    }

    @Test
    void cancelledObservationsAreGoneAfterARestart() {
        Registration registration = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        store.addRegistration(registration);
        Token byToken = observe(store, registration, "/3303/0");
        Token byLeshan = observe(store, registration, "/3/0");
        Token kept = observe(store, registration, "/3311/0");

        store.remove(byToken);
        Observation removed = store.removeObservation("reg-1", byLeshan.getBytes());

        assertThat(removed).isInstanceOf(SingleObservation.class);
        assertThat(store.removeObservation("another-reg", kept.getBytes())).isNull();
        JdbcRegistrationStore restarted = restart();
        assertThat(restarted.getObservations("reg-1")).extracting(o -> new Token(o.getId())).containsExactly(kept);
        assertThat(restarted.removeObservations("reg-1")).hasSize(1);
        assertThat(restart().getObservations("reg-1")).isEmpty();
    }

    @Test
    void observationOfAnUnknownRegistrationIsRefused() {
        Registration ghost = registration("reg-ghost", "ghost", Identity.psk(PEER, "ghost"));

        assertThatThrownBy(() -> observe(store, ghost, "/3/0")).isInstanceOf(ObservationStoreException.class)
                .hasMessageContaining("reg-ghost");
    }

    @Test
    void putIfAbsentKeepsTheObservationAlreadyThere() {
        Registration registration = registration("reg-1", "dev-1", Identity.psk(PEER, "dev-1-id"));
        store.addRegistration(registration);
        Token token = observe(store, registration, "/3303/0");

        var existing = store.putIfAbsent(token, cfObservation(registration, "/3/0", token));

        assertThat(existing.getRequest().getOptions().getUriPathString()).isEqualTo("3303/0");
        assertThat(store.get(token).getRequest().getOptions().getUriPathString()).isEqualTo("3303/0");
    }

    // ------------------------------------------------------------------ helpers

    private JdbcRegistrationStore open(JdbcRegistrationStore.Settings settings) {
        JdbcRegistrationStore opened = JdbcRegistrationStore.open(database, settings);
        this.opened.add(opened);
        return opened;
    }

    /** Writes everything the current store holds, then opens a second store on the same database. */
    private JdbcRegistrationStore restart() {
        assertThat(store.flush(WITHIN)).as("journal written").isTrue();
        store = open(JdbcRegistrationStore.Settings.defaults());
        return store;
    }

    private static Registration registration(String id, String endpoint, Identity identity) {
        return new Registration.Builder(id, endpoint, identity)
                .lwM2mVersion(LwM2mVersion.V1_1)
                .lifeTimeInSec(300L)
                .bindingMode(EnumSet.of(BindingMode.U))
                .queueMode(false)
                .objectLinks(new DefaultLinkParser().parse(LINKS.getBytes(StandardCharsets.UTF_8)))
                .extractDataFromObjectLink(true)
                .additionalRegistrationAttributes(Map.of("apn", "orbis&co=1"))
                .build();
    }

    private Token observe(JdbcRegistrationStore target, Registration registration, String path) {
        Token token = new Token(new byte[] {(byte) (mid >> 8), (byte) mid, 0x42, 0x17});
        target.put(token, cfObservation(registration, path, token));
        return token;
    }

    private org.eclipse.californium.core.observe.Observation cfObservation(Registration registration, String path,
            Token token) {
        Request request = Request.newGet();
        request.setObserve();
        request.setToken(token);
        request.setMID(mid++);
        request.getOptions().setUriPath(path.substring(1));
        request.getOptions().setAccept(ContentFormat.SENML_CBOR.getCode());
        request.setUserContext(ObserveUtil.createCoapObserveRequestContext(registration.getEndpoint(),
                registration.getId(), new ObserveRequest(path)));
        return new org.eclipse.californium.core.observe.Observation(request, null);
    }

    private static EndpointContext dtlsContext(String pskIdentity) {
        Attributes attributes = new Attributes()
                .add(DtlsEndpointContext.KEY_SESSION_ID, new Bytes(new byte[] {1, 2, 3, 4}))
                .add(DtlsEndpointContext.KEY_EPOCH, 1)
                .add(DtlsEndpointContext.KEY_CIPHER, "TLS_PSK_WITH_AES_128_CCM_8")
                .add(DtlsEndpointContext.KEY_HANDSHAKE_TIMESTAMP, 123456789L);
        return new MapBasedEndpointContext(PEER, new PreSharedKeyIdentity(pskIdentity), attributes);
    }
}
