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
import org.orbis.server.observe.ObservePolicy;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.store.DatabaseSettings;

/** The whole Orbis platform in this JVM, on the benchmark's PostgreSQL, every notification committed. */
final class OrbisTarget implements Target {

    private final OrbisPlatform platform;
    private final Set<String> observed = ConcurrentHashMap.newKeySet();
    private final AtomicLong committed = new AtomicLong();
    private volatile LatencyHistogram delays;

    OrbisTarget(DatabaseSettings database, List<DeviceCredential> devices) throws InterruptedException {
        platform = new OrbisPlatform(new PlatformSettings(database, "127.0.0.1", "127.0.0.1", 0, null, 0, null,
                "127.0.0.1", 0, ObservePolicy.defaults(), 0)).start();
        provision(devices);
        platform.world().addCommitListener(this::committed);
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

    OrbisPlatform platform() {
        return platform;
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
