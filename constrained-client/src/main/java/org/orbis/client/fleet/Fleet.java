package org.orbis.client.fleet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.coap.Message;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.model.StaticModel;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.codec.DefaultLwM2mEncoder;
import org.eclipse.leshan.core.node.codec.LwM2mEncoder;
import org.eclipse.leshan.core.request.ContentFormat;
import org.orbis.client.dtls.ClientDtlsConfiguration;
import org.orbis.client.model.ObjectModels;

/**
 * A fleet of {@link VirtualDevice}s in one JVM: starts them at the configured registration rate, lets them notify for
 * the configured duration, deregisters them and prints progress and a summary. Devices share one executor (DTLS
 * crypto, CoAP handling, timers), a few datagram pumps and one Scandium configuration; each has its own socket and DTLS
 * connection, as real devices do.
 */
public final class Fleet implements AutoCloseable {

    static final String TEMPERATURE_PATH = "3303/0";
    static final byte[] OBJECT_LINKS = "</>;rt=\"oma.lwm2m\";ct=\"60 11542 11543\",</1/0>,</3/0>,</3303/0>"
            .getBytes(StandardCharsets.UTF_8);
    private static final int PUMPS = 2;

    private final FleetSettings settings;
    private final List<DeviceCredential> credentials;
    private final FleetStats stats = new FleetStats();
    private final ScheduledThreadPoolExecutor scheduler;
    private final List<DatagramPump> pumps = new ArrayList<>();
    private final AtomicInteger nextPump = new AtomicInteger();
    private final Configuration dtls;
    private final EndpointContext serverContext;
    private final UdpDataSerializer serializer = new UdpDataSerializer();
    private final ThreadLocal<UdpDataParser> parser = ThreadLocal.withInitial(UdpDataParser::new);
    private final LwM2mEncoder encoder = new DefaultLwM2mEncoder();
    private final LwM2mModel model = new StaticModel(ObjectModels.all());
    private final Semaphore pendingRegistrations;
    private final List<VirtualDevice> devices = new ArrayList<>();
    private final CountDownLatch allEnded;
    private final long notificationPeriodMillis;

    public Fleet(FleetSettings settings, List<DeviceCredential> credentials) {
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("a fleet needs at least one device");
        }
        this.settings = settings;
        this.credentials = List.copyOf(credentials);
        this.pendingRegistrations = new Semaphore(settings.maxPendingRegistrations());
        this.allEnded = new CountDownLatch(credentials.size());
        this.notificationPeriodMillis = settings.notificationRate() <= 0 ? 0
                : Math.max(10, (long) (credentials.size() * 1000 / settings.notificationRate()));
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "orbis-fleet-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.dtls = dtlsConfiguration(settings);
        this.serverContext = new AddressEndpointContext(settings.server());
        try {
            for (int i = 0; i < PUMPS; i++) {
                pumps.add(new DatagramPump("orbis-fleet-pump-" + i));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open a selector for the fleet's sockets", e);
        }
    }

    private static Configuration dtlsConfiguration(FleetSettings settings) {
        Configuration config = ClientDtlsConfiguration.create(settings.plainPsk()
                ? List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8) : ClientDtlsConfiguration.DEFAULT_CIPHER_SUITES, true);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 0);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 4);
        // a fixed MTU spares each device a network-interface lookup when its socket binds
        config.set(DtlsConfig.DTLS_MAX_TRANSMISSION_UNIT, 1280);
        config.set(DtlsConfig.DTLS_RECEIVE_BUFFER_SIZE, 32 * 1024);
        config.set(DtlsConfig.DTLS_SEND_BUFFER_SIZE, 32 * 1024);
        config.set(UdpConfig.UDP_RECEIVE_BUFFER_SIZE, 32 * 1024);
        return config;
    }

    FleetSettings settings() {
        return settings;
    }

    public FleetStats stats() {
        return stats;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    EndpointContext serverContext() {
        return serverContext;
    }

    long notificationPeriodMillis() {
        return notificationPeriodMillis;
    }

    DeviceConnector connector(DeviceCredential credential) {
        DtlsConnectorConfig config = DtlsConnectorConfig.builder(dtls)
                .setAddress(new InetSocketAddress(settings.bindHost(), 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(credential.identity(), credential.key()))
                .setLoggingTag(credential.endpoint())
                .build();
        DeviceConnector connector = new DeviceConnector(config, pumps.get(nextPump.getAndIncrement() % pumps.size()));
        connector.setExecutor(scheduler);
        return connector;
    }

    byte[] serialize(Message message) {
        return serializer.getByteArray(message);
    }

    Message parse(byte[] bytes) {
        return parser.get().parseMessage(bytes);
    }

    /** The content of {@code path} ({@code 1/0}, {@code 3/0} or {@code 3303/0}), or {@code null} if absent. */
    byte[] encode(String path, ContentFormat format, double temperature) {
        LwM2mNode node = switch (path) {
        case TEMPERATURE_PATH -> new LwM2mObjectInstance(0, LwM2mSingleResource.newFloatResource(5700, temperature),
                LwM2mSingleResource.newStringResource(5701, "Cel"));
        case "3/0" -> new LwM2mObjectInstance(0, LwM2mSingleResource.newStringResource(0, "Orbis"),
                LwM2mSingleResource.newStringResource(1, "orbis-fleet"),
                LwM2mSingleResource.newStringResource(16, "U"));
        case "1/0" -> new LwM2mObjectInstance(0, LwM2mSingleResource.newIntegerResource(0, 123),
                LwM2mSingleResource.newIntegerResource(1, settings.lifetime().toSeconds()),
                LwM2mSingleResource.newStringResource(7, "U"));
        default -> null;
        };
        return node == null ? null : encoder.encode(node, format, new LwM2mPath("/" + path), model);
    }

    void registrationEnded(VirtualDevice device, boolean registered) {
        pendingRegistrations.release();
        if (registered) {
            stats.registered.increment();
            stats.lastRegisteredAt.set(System.currentTimeMillis());
        } else {
            stats.error("registration failed");
        }
        allEnded.countDown();
    }

    void lateRegistration() {
        stats.registered.increment();
        stats.lastRegisteredAt.set(System.currentTimeMillis());
    }

    void observed(VirtualDevice device) {
        stats.observed.increment();
        stats.lastObservedAt.set(System.currentTimeMillis());
    }

    /**
     * Runs the whole simulation: ramp-up, the configured duration, deregistration. Progress lines go to {@code out}
     * every {@code progressEvery}.
     *
     * @return the final counters
     */
    public FleetStats.Snapshot run(PrintWriter out, Duration progressEvery) throws InterruptedException {
        long started = System.nanoTime();
        var progress = scheduler.scheduleAtFixedRate(new Progress(out, started), progressEvery.toMillis(),
                progressEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ramp();
            // wait for the registrations still under way, bounded by the retransmission budget
            allEnded.await(2, TimeUnit.MINUTES);
            FleetStats.Snapshot ramped = stats.snapshot();
            double seconds = (System.nanoTime() - started) / 1e9;
            println(out, String.format(Locale.ROOT, "ramp-up done: %d/%d registered in %.1f s (%.0f/s), %d failed",
                    ramped.registered(), credentials.size(), seconds, ramped.registered() / seconds,
                    credentials.size() - ramped.registered()));
            Thread.sleep(settings.duration().toMillis());
        } finally {
            progress.cancel(false);
        }
        deregisterAll();
        return stats.snapshot();
    }

    /** Starts devices at the registration rate, never more than the configured number registering at once. */
    private void ramp() throws InterruptedException {
        long intervalNanos = (long) (1e9 / settings.registrationRate());
        long next = System.nanoTime();
        int queueModeEvery = settings.queueModeFraction() <= 0 ? 0 : (int) Math.round(1 / settings.queueModeFraction());
        for (int i = 0; i < credentials.size(); i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += intervalNanos;
            pendingRegistrations.acquire();
            boolean queueMode = queueModeEvery > 0 && i % queueModeEvery == 0;
            VirtualDevice device = new VirtualDevice(this, credentials.get(i), queueMode);
            synchronized (devices) {
                devices.add(device);
            }
            scheduler.execute(device::start);
        }
    }

    private void deregisterAll() throws InterruptedException {
        List<VirtualDevice> all;
        synchronized (devices) {
            all = new ArrayList<>(devices);
        }
        long spacing = Math.max(1, (long) (1e9 / Math.max(settings.registrationRate(), 2000)));
        for (VirtualDevice device : all) {
            scheduler.execute(device::deregister);
            TimeUnit.NANOSECONDS.sleep(spacing);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stats.deregistered.sum() < stats.registered.sum() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        List<VirtualDevice> all;
        synchronized (devices) {
            all = new ArrayList<>(devices);
        }
        all.forEach(VirtualDevice::stopNow);
        scheduler.shutdownNow();
        pumps.forEach(DatagramPump::close);
    }

    private static void println(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }

    /** One status line: how far the ramp-up is, the rates of the last interval, errors so far. */
    private final class Progress implements Runnable {
        private final PrintWriter out;
        private final long started;
        private FleetStats.Snapshot last;
        private long lastNanos;

        Progress(PrintWriter out, long started) {
            this.out = out;
            this.started = started;
            this.lastNanos = started;
            this.last = stats.snapshot();
        }

        @Override
        public void run() {
            FleetStats.Snapshot now = stats.snapshot();
            long nanos = System.nanoTime();
            double interval = (nanos - lastNanos) / 1e9;
            println(out, String.format(Locale.ROOT,
                    "%6.1f s  registered %d/%d (%.0f/s)  observed %d  notifications %.0f/s (acked %.0f/s)  errors %d%s",
                    (nanos - started) / 1e9, now.registered(), credentials.size(),
                    (now.registered() - last.registered()) / interval, now.observed(),
                    (now.notificationsSent() - last.notificationsSent()) / interval,
                    (now.notificationsAcked() - last.notificationsAcked()) / interval, now.errorCount(),
                    now.errors().isEmpty() ? "" : " " + now.errors()));
            last = now;
            lastNanos = nanos;
        }
    }
}
