package org.orbis.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.orbis.client.ReferenceClient;
import org.orbis.client.fleet.DeviceCredential;

/**
 * Many reference clients (real Leshan clients over DTLS-PSK) in this JVM, on one shared pool, started in small
 * batches so that their blocking registrations never starve the pool (field notes §8: 64 threads, batches of 25).
 * Their sensors are held: values change only when the benchmark says so.
 */
final class ReferenceFleet implements AutoCloseable {

    private final ScheduledThreadPoolExecutor pool;
    private final List<ReferenceClient> clients = new ArrayList<>();

    ReferenceFleet(int threads) {
        AtomicInteger count = new AtomicInteger();
        pool = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, "bench-client-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts one client per credential against the DM server directly (no bootstrap), {@code batch} at a time, each
     * batch waiting until its clients registered (or {@code timeout} passed); {@code progress} hears the number
     * started so far after each batch. Answers how many did not register in time.
     */
    int start(List<DeviceCredential> devices, URI server, int batch, Duration timeout, IntConsumer progress)
            throws InterruptedException {
        int failed = 0;
        for (int first = 0; first < devices.size(); first += batch) {
            List<ReferenceClient> started = new ArrayList<>();
            for (DeviceCredential device : devices.subList(first, Math.min(devices.size(), first + batch))) {
                ReferenceClient client = ReferenceClient.builder().endpoint(device.endpoint()).server(server)
                        .pskIdentity(device.identity()).pskKey(device.key())
                        .localAddress(new InetSocketAddress("127.0.0.1", 0))
                        // updates would come due together in the measured window; an hour keeps them out of it
                        .lifetime(Duration.ofHours(1)).retryInterval(Duration.ofSeconds(5))
                        .sharedExecutor(pool).build();
                client.holdSensors(true);
                client.start();
                started.add(client);
            }
            synchronized (clients) {
                clients.addAll(started);
            }
            for (ReferenceClient client : started) {
                if (!client.awaitRegistered(timeout)) {
                    failed++;
                }
            }
            progress.accept(first + started.size());
        }
        return failed;
    }

    List<ReferenceClient> clients() {
        synchronized (clients) {
            return List.copyOf(clients);
        }
    }

    /** World View copies all clients received so far. */
    long copiesReceived() {
        return clients().stream().mapToLong(ReferenceClient::worldViewUpdates).sum();
    }

    @Override
    public void close() {
        for (ReferenceClient client : clients()) {
            try {
                client.destroy(false);
            } catch (RuntimeException e) {
                // tearing down: a client that fails to stop cleanly must not keep the others running
            }
        }
        pool.shutdownNow();
    }
}
