package org.orbis.world.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off between threads that must not wait on the database (Californium's, Jetty's) and the database: a
 * bounded queue drained by one named writer thread that group-commits up to {@code maxBatch} updates per transaction.
 *
 * <p>When the queue is full, {@link #submit} blocks the caller until there is room (back-pressure), counts it and
 * logs a warning at most every few seconds: updates are never dropped silently. A batch that fails is retried; if it
 * keeps failing, its updates are committed one by one so that a single bad update cannot take its neighbours down,
 * and the ones that still fail are logged with their endpoint and counted.
 */
public final class WorldWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorldWriter.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int RETRIES = 3;

    private final WorldStore store;
    private final BlockingQueue<WorldUpdate> queue;
    private final int maxBatch;
    private final Thread thread;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong committedChanges = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong backPressureWaits = new AtomicLong();
    private final Object progress = new Object();
    private volatile long lastWarnNanos;
    private volatile boolean closing;
    private volatile BatchObserver batchObserver;

    public WorldWriter(WorldStore store, int queueCapacity, int maxBatch) {
        if (queueCapacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queueCapacity and maxBatch must be positive");
        }
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::run, "orbis-world-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Hears about every batch the writer committed, on the writer thread; must return quickly. */
    @FunctionalInterface
    public interface BatchObserver {
        void committed(int updates, long commitNanos);
    }

    /** Sets the one observer of committed batches (metrics), or {@code null} for none. */
    public void setBatchObserver(BatchObserver observer) {
        this.batchObserver = observer;
    }

    /** Queues an update for the next batch; blocks only while the queue is full. */
    public void submit(WorldUpdate update) {
        if (closing) {
            throw new IllegalStateException("world writer is closed; update for '" + update.endpoint() + "' refused");
        }
        submitted.incrementAndGet();
        if (queue.offer(update)) {
            return;
        }
        backPressureWaits.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarnNanos > WARN_INTERVAL_NANOS) {
            lastWarnNanos = now;
            LOG.warn("world writer queue is full ({} updates): callers wait for the database (back-pressure, {} waits so far)",
                    queue.size(), backPressureWaits.get());
        }
        try {
            queue.put(update);
        } catch (InterruptedException e) {
            submitted.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the world writer queue", e);
        }
    }

    public void submitAll(List<? extends WorldUpdate> updates) {
        updates.forEach(this::submit);
    }

    /** Waits until every update submitted before this call has been committed (or has failed). */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = submitted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            long remaining;
            while (processed.get() < target && (remaining = deadline - System.nanoTime()) > 0) {
                progress.wait(Math.max(1, remaining / 1_000_000));
            }
        }
        return processed.get() >= target;
    }

    public Stats stats() {
        return new Stats(queue.size(), submitted.get(), processed.get(), committedChanges.get(), batches.get(),
                failed.get(), backPressureWaits.get());
    }

    /** Commits what is queued, then stops the writer thread. */
    @Override
    public void close() {
        closing = true;
        try {
            if (!flush(Duration.ofSeconds(30))) {
                LOG.error("world writer closed with {} updates not committed", submitted.get() - processed.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<WorldUpdate> batch = new ArrayList<>(maxBatch);
        while (true) {
            WorldUpdate first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = queue.poll();
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - batch.size());
            long started = System.nanoTime();
            commitBatch(batch);
            BatchObserver observer = batchObserver;
            if (observer != null) {
                observer.committed(batch.size(), System.nanoTime() - started);
            }
            processed.addAndGet(batch.size());
            batch.clear();
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void commitBatch(List<WorldUpdate> batch) {
        for (int attempt = 1; attempt <= RETRIES; attempt++) {
            try {
                committedChanges.addAndGet(store.commit(batch).size());
                batches.incrementAndGet();
                return;
            } catch (RuntimeException e) {
                LOG.warn("committing a batch of {} updates failed (attempt {}/{}): {}", batch.size(), attempt, RETRIES,
                        e.getMessage());
                sleepQuietly(100L * attempt * attempt);
            }
        }
        for (WorldUpdate update : batch) {
            try {
                committedChanges.addAndGet(store.commit(List.of(update)).size());
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.error("update for endpoint '{}' could not be committed and is discarded: {} ({})", update.endpoint(),
                        update.getClass().getSimpleName(), e.getMessage());
            }
        }
        batches.incrementAndGet();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counters for metrics and logs. */
    public record Stats(int queued, long submitted, long processed, long committedChanges, long batches, long failed,
            long backPressureWaits) {
    }
}
