package org.orbis.console.platform;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.client.ReferenceClient;
import org.orbis.world.credentials.CredentialPurpose;
import org.orbis.world.credentials.PskCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo N}: N reference clients ({@code demo-001}, …) in this process, provisioned on first use and
 * bootstrapping over DTLS like real devices, so a newcomer sees a live fleet. Clients start in batches of
 * {@value #BATCH} on a shared pool (field notes §8: a pool well above the clients registering at once).
 */
public final class DemoFleet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFleet.class);
    private static final int BATCH = 25;
    private static final Duration BATCH_WAIT = Duration.ofSeconds(20);
    private static final Duration DRIFT = Duration.ofSeconds(5);

    private final OrbisPlatform platform;
    private final int count;
    private final List<ReferenceClient> clients = new ArrayList<>();
    private final ScheduledExecutorService pool;
    private final Thread starter;
    private volatile boolean closing;

    DemoFleet(OrbisPlatform platform, int count) {
        this.platform = platform;
        this.count = count;
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(64, runnable -> {
            Thread thread = new Thread(runnable, "orbis-demo-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.pool = executor;
        this.starter = new Thread(this::startAll, "orbis-demo-starter");
        this.starter.setDaemon(true);
    }

    /** Starts the fleet in the background and returns at once; progress goes to the log. */
    void start() {
        starter.start();
    }

    public static String endpoint(int index) {
        return String.format("demo-%03d", index);
    }

    public int size() {
        return count;
    }

    public synchronized long registeredCount() {
        return clients.stream().filter(ReferenceClient::isRegistered).count();
    }

    /** The running client of a demo endpoint, for tests and tools. */
    public synchronized Optional<ReferenceClient> client(String endpoint) {
        return clients.stream().filter(client -> client.endpoint().equals(endpoint)).findFirst();
    }

    private void startAll() {
        long started = System.nanoTime();
        URI bootstrap = URI.create("coaps://" + loopbackHost() + ":" + platform.bootstrapServer().securedAddress().getPort());
        LOG.info("demo: starting {} reference clients against {}", count, bootstrap);
        for (int first = 1; first <= count && !closing; first += BATCH) {
            List<ReferenceClient> batch = new ArrayList<>();
            for (int index = first; index < first + BATCH && index <= count; index++) {
                batch.add(startClient(endpoint(index), bootstrap));
            }
            awaitRegistered(batch);
            LOG.info("demo: {}/{} devices registered", registeredCount(), count);
        }
        LOG.info("demo: {} of {} devices registered in {} ms", registeredCount(), count,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private ReferenceClient startClient(String endpoint, URI bootstrap) {
        PskCredential credential = platform.credentials().findByEndpoint(CredentialPurpose.BOOTSTRAP, endpoint)
                .orElseGet(() -> platform.provisioning().provision(ProvisioningRequest.generated(endpoint)).bootstrap());
        ReferenceClient client = ReferenceClient.builder()
                .endpoint(endpoint)
                .bootstrapServer(bootstrap)
                .pskIdentity(credential.identity())
                .pskKey(credential.key())
                .localAddress(new InetSocketAddress("127.0.0.1", 0))
                .driftPeriod(DRIFT)
                .sharedExecutor(pool)
                .build();
        synchronized (this) {
            if (closing) {
                client.destroy(false);
                return client;
            }
            clients.add(client);
        }
        client.start();
        return client;
    }

    private static void awaitRegistered(List<ReferenceClient> batch) {
        long deadline = System.nanoTime() + BATCH_WAIT.toNanos();
        for (ReferenceClient client : batch) {
            try {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || !client.awaitRegistered(Duration.ofNanos(remaining))) {
                    LOG.warn("demo: {} did not register within {} s; it keeps retrying", client.endpoint(),
                            BATCH_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String loopbackHost() {
        String bind = platform.settings().bindHost();
        return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    @Override
    public void close() {
        closing = true;
        starter.interrupt();
        List<ReferenceClient> toStop;
        synchronized (this) {
            toStop = new ArrayList<>(clients);
        }
        toStop.parallelStream().forEach(client -> client.destroy(true));
        pool.shutdownNow();
    }
}
