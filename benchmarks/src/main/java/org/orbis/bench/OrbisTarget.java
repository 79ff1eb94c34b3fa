package org.orbis.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.client.fleet.DeviceCredential;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.console.platform.PlatformSettings;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.SqlDialect;

/** The whole Orbis platform in this JVM, on the benchmark's PostgreSQL, every notification committed. */
final class OrbisTarget implements Target {

    private final OrbisPlatform platform;
    private final Set<String> observed = ConcurrentHashMap.newKeySet();
    private final AtomicLong committed = new AtomicLong();
    private volatile LatencyHistogram delays;

    OrbisTarget(DatabaseSettings database, List<DeviceCredential> devices) throws InterruptedException {
        // loopback, free ports, the default observe policy, no demo devices
        platform = new OrbisPlatform(PlatformSettings.forTests(database)).start();
        provision(devices);
        analyze();
        platform.world().addCommitListener(this::committed);
    }

    /**
     * Refreshes PostgreSQL's table statistics, as one does after a bulk load: the tables grew from nothing within
     * seconds, and until autovacuum's next analysis (up to a minute or more) the planner would scan instead of using
     * the primary keys (about 40x slower commits were seen with stale statistics).
     */
    void analyze() {
        if (platform.world().database().dialect() == SqlDialect.POSTGRESQL) {
            platform.world().database().read(connection -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("ANALYZE");
                }
                return null;
            });
        }
    }

    /** Provisions through the platform's own provisioning service (the HTTP API does the same per request). */
    private void provision(List<DeviceCredential> devices) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (DeviceCredential device : devices) {
            pool.execute(() -> platform.provisioning().provision(new ProvisioningRequest(device.endpoint(), null, null,
                    device.identity(), device.key())));
        }
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("provisioning did not finish");
        }
    }

    private void committed(List<ChangeEvent> events) {
        long now = System.currentTimeMillis();
        LatencyHistogram histogram = delays;
        for (ChangeEvent event : events) {
            if (event.kind() == ChangeEvent.Kind.VALUE && event.path() != null && event.path().objectId() == 3303
                    && event.path().resourceId() == 5700) {
                committed.incrementAndGet();
                observed.add(event.endpoint());
                if (histogram != null) {
                    long delay = TimestampValues.delaySince(event.value().text(), now);
                    if (delay >= 0) {
                        histogram.record(delay);
                    }
                }
            }
        }
    }

    /** Updates waiting in the world writer's queue (a backlog from the ramp-up must drain before measuring). */
    int writerBacklog() {
        return platform.writer().stats().queued();
    }

    OrbisPlatform platform() {
        return platform;
    }

    /** One line about the world writer: batches, their mean size and commit time, back-pressure, queue now. */
    String writerSummary() {
        String metrics = platform.metrics().scrape();
        double batches = sample(metrics, "orbis_world_writer_batch_size_count");
        double updates = sample(metrics, "orbis_world_writer_batch_size_sum");
        double commitSeconds = sample(metrics, "orbis_world_writer_batch_commit_seconds_sum");
        return String.format(java.util.Locale.ROOT,
                "world writer: %.0f batches, mean %.0f updates and %.1f ms per commit, %.0f back-pressure waits, queue %.0f",
                batches, batches == 0 ? 0 : updates / batches, batches == 0 ? 0 : commitSeconds * 1000 / batches,
                sample(metrics, "orbis_world_writer_backpressure_waits_total"), sample(metrics, "orbis_world_writer_queue"));
    }

    private static double sample(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    @Override
    public String name() {
        return "Orbis";
    }

    @Override
    public int securePort() {
        return platform.dmServer().securedAddress().getPort();
    }

    @Override
    public int registrations() {
        return platform.dmServer().registrations().registrationCount();
    }

    @Override
    public int observedDevices() {
        return observed.size();
    }

    @Override
    public long handledNotifications() {
        return committed.get();
    }

    @Override
    public void recordDelays(LatencyHistogram histogram) {
        delays = histogram;
    }

    @Override
    public void close() {
        platform.close();
    }
}
