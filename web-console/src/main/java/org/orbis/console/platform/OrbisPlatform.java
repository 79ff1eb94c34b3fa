package org.orbis.console.platform;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.orbis.bootstrap.OrbisBootstrapServer;
import org.orbis.bootstrap.provisioning.DeviceProvisioning;
import org.orbis.console.access.DemoAccount;
import org.orbis.console.access.Passwords;
import org.orbis.console.api.HttpApi;
import org.orbis.console.metrics.PlatformMetrics;
import org.orbis.server.OrbisDmServer;
import org.orbis.server.views.DeviceViewDelivery;
import org.orbis.world.views.DeviceViewStore;
import org.orbis.world.access.AccessStore;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.Database;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform in one process: database and world model, DM server, bootstrap server, HTTP API, and optionally
 * a demo fleet. {@link #start} brings the parts up in dependency order; {@link #close} takes them down in reverse,
 * committing every queued world-model update before the database closes.
 */
public final class OrbisPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrbisPlatform.class);
    static final int WRITER_QUEUE_CAPACITY = 100_000;
    static final int WRITER_MAX_BATCH = 1_000;

    private final PlatformSettings settings;
    private final SecuritySettings security;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Database database;
    private WorldStore world;
    private WorldWriter writer;
    private ChangeFeed feed;
    private DeviceViewStore deviceViews;
    private DeviceViewDelivery viewDelivery;
    private CredentialStore credentials;
    private WorldServices services;
    private OrbisDmServer dmServer;
    private OrbisBootstrapServer bootstrapServer;
    private DeviceProvisioning provisioning;
    private HttpApi http;
    private DemoFleet demo;
    private PlatformMetrics metrics;
    private AccessStore access;
    private final Passwords passwords = new Passwords();

    /** A platform on the development certificates with secrets unsealed; the launcher and tests pass security. */
    public OrbisPlatform(PlatformSettings settings) {
        this(settings, SecuritySettings.unsealedDevelopment());
    }

    public OrbisPlatform(PlatformSettings settings, SecuritySettings security) {
        this.settings = settings;
        this.security = security;
    }

    public synchronized OrbisPlatform start() {
        try {
            security.validate(settings.demoDevices());
            database = remember(Database.open(settings.database()));
            world = new WorldStore(database, Clock.systemUTC());
            writer = remember(new WorldWriter(world, WRITER_QUEUE_CAPACITY, WRITER_MAX_BATCH));
            feed = new ChangeFeed(world);
            credentials = new CredentialStore(world, security.sealer());
            credentials.verifySecretsOpen();
            int sealed = credentials.sealPlainSecrets();
            if (sealed > 0) {
                LOG.info("sealed {} device secrets that were stored in the clear with master key {}", sealed,
                        security.masterKey().fingerprint());
            }
            services = remember(new WorldServices(world, feed, settings.retention()).start());
            provisioning = new DeviceProvisioning(credentials, new SecureRandom(), security.deviceIssuer(),
                    security.deviceTrustAnchors(), DeviceProvisioning.DEFAULT_CERTIFICATE_VALIDITY);

            OrbisDmServer.Builder dm = OrbisDmServer.builder().world(world, writer).credentials(credentials)
                    .secureAddress(new InetSocketAddress(settings.bindHost(), settings.coapsPort()))
                    .observePolicy(settings.observePolicy())
                    .awakeTime(settings.awakeTime())
                    .publicHost(settings.publicHost())
                    .firmware(settings.firmware())
                    .zones(zone -> devicesIn(services, zone))
                    .serverCredentials(security.dmServer());
            if (settings.coapPort() != null) {
                dm.enableUnsecuredEndpoint(new InetSocketAddress(settings.bindHost(), settings.coapPort()));
            }
            dmServer = remember(dm.build());
            dmServer.start();

            deviceViews = new DeviceViewStore(world);
            viewDelivery = remember(new DeviceViewDelivery(feed, services.views(), services.maintainer(),
                    services.queries(), deviceViews, dmServer.operations(), world.clock()).start());
            dmServer.leshan().getRegistrationService().addListener(viewDelivery);

            OrbisBootstrapServer.Builder bootstrap = OrbisBootstrapServer.builder().credentials(credentials)
                    .secureAddress(new InetSocketAddress(settings.bindHost(), settings.bootstrapPort()))
                    .publicHost(settings.publicHost())
                    .dmServerUri(dmServerUri())
                    .serverCredentials(security.bootstrapServer())
                    .dmServerCertificate(security.dmServer().identity().certificate());
            if (settings.bootstrapCoapPort() != null) {
                bootstrap.enableUnsecuredEndpoint(new InetSocketAddress(settings.bindHost(), settings.bootstrapCoapPort()));
            }
            bootstrapServer = remember(bootstrap.build());
            bootstrapServer.start();

            metrics = remember(new PlatformMetrics(world, writer, dmServer, viewDelivery));
            access = new AccessStore(database, Clock.systemUTC());
            access.purgeExpiredSessions();
            if (settings.demoDevices() > 0) {
                DemoAccount.ensure(access, passwords, System.getenv("ORBIS_DEMO_PASSWORD"));
            }
            http = remember(new HttpApi(this, settings.httpHost(), settings.httpPort()));
            http.start();

            if (settings.demoDevices() > 0) {
                demo = remember(new DemoFleet(this, settings.demoDevices()));
                demo.start();
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The DM server URI as devices must use it. */
    public String dmServerUri() {
        return "coaps://" + settings.publicHost() + ":" + dmServer.securedAddress().getPort();
    }

    /** The bootstrap server URI as devices must use it. */
    public String bootstrapServerUri() {
        return "coaps://" + settings.publicHost() + ":" + bootstrapServer.securedAddress().getPort();
    }

    public WorldStore world() {
        return world;
    }

    public WorldWriter writer() {
        return writer;
    }

    /** Which views devices are given (delivered to their World View object). */
    public DeviceViewDelivery viewDelivery() {
        return viewDelivery;
    }

    public DeviceViewStore deviceViews() {
        return deviceViews;
    }

    public ChangeFeed feed() {
        return feed;
    }

    /** Entities, queries, history, models and views of the world model. */
    public WorldServices services() {
        return services;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    public DeviceProvisioning provisioning() {
        return provisioning;
    }

    public OrbisDmServer dmServer() {
        return dmServer;
    }

    public OrbisBootstrapServer bootstrapServer() {
        return bootstrapServer;
    }

    /** The platform's Prometheus metrics. */
    public PlatformMetrics metrics() {
        return metrics;
    }

    /** Users, API tokens and console sessions. */
    public AccessStore access() {
        return access;
    }

    public Passwords passwords() {
        return passwords;
    }

    public HttpApi http() {
        return http;
    }

    /** The demo fleet, or {@code null} without {@code --demo}. */
    public DemoFleet demo() {
        return demo;
    }

    public PlatformSettings settings() {
        return settings;
    }

    public SecuritySettings security() {
        return security;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private <T extends AutoCloseable> T remember(T part) {
        started.push(part);
        return part;
    }

    /** The devices placed (edge {@code in}) in a zone or in the zones that are part of it, for firmware campaigns. */
    private static java.util.List<String> devicesIn(WorldServices services, String zone) {
        org.orbis.world.graph.NodeKey root = org.orbis.world.graph.NodeKey.entity(zone);
        return services.queries().reach(new org.orbis.world.query.NodeQuery.Traversal(root,
                org.orbis.world.query.NodeQuery.MAX_HOPS, java.util.Set.of("in", "partOf"),
                org.orbis.world.query.NodeQuery.Direction.INBOUND)).stream()
                .filter(org.orbis.world.graph.NodeKey::isDevice).map(org.orbis.world.graph.NodeKey::endpoint).sorted()
                .toList();
    }
}
