package org.orbis.console.api;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.orbis.console.api.Views.EventView;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.store.ChangeFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: the change feed as Server-Sent Events. Each event's {@code id} is its sequence number, so a
 * client that reconnects with {@code Last-Event-ID} (browsers do this by themselves), or with {@code ?since=N}, gets
 * every change after it and nothing twice. Without either, the stream starts at the current head. Each open stream is
 * pumped by one thread of a bounded pool that waits on the feed, so Jetty's threads are never held.
 */
final class EventStream implements AutoCloseable {

    static final int MAX_STREAMS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int BATCH = 500;

    private final ChangeFeed feed;
    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final java.util.Set<SseClient> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService pumps = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "orbis-sse-" + threadCount.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    EventStream(ChangeFeed feed) {
        this.feed = feed;
    }

    /** Resolves where a new stream starts, before the response is committed, so bad input still gets a 400. */
    long startSequence(String lastEventId, String since) {
        String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : since;
        if (given == null || given.isBlank()) {
            return feed.head();
        }
        try {
            long sequence = Long.parseLong(given.strip());
            if (sequence < 0) {
                throw new NumberFormatException();
            }
            long pruned = feed.prunedThrough();
            if (sequence < pruned) {
                throw ViewStream.gone(new org.orbis.world.store.FeedGoneException(sequence, pruned));
            }
            return sequence;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Last-Event-ID / since must be a sequence number (0 or more), not '" + given + "'");
        }
    }

    /** @param stillAllowed asked now and then; once it says no (signed out, token revoked) the stream ends */
    void open(SseClient client, long after, BooleanSupplier stillAllowed) {
        if (!slots.tryAcquire()) {
            client.sendEvent("error", "{\"detail\":\"too many open event streams (" + MAX_STREAMS + "); retry later\"}");
            client.close();
            return;
        }
        client.keepAlive();
        open.add(client);
        pumps.execute(() -> {
            try {
                pump(client, after, stillAllowed);
            } finally {
                open.remove(client);
                slots.release();
            }
        });
    }

    private void pump(SseClient client, long after, BooleanSupplier stillAllowed) {
        long last = after;
        client.sendComment("orbis change feed after " + last);
        try {
            while (!client.terminated() && !closed) {
                List<ChangeEvent> events = feed.awaitAfter(last, BATCH, KEEP_ALIVE);
                if (events.isEmpty()) {
                    if (!stillAllowed.getAsBoolean()) {
                        client.sendEvent("error", "{\"detail\":\"signed out or session expired\"}");
                        return;
                    }
                    client.sendComment("keep-alive");
                    continue;
                }
                for (ChangeEvent event : events) {
                    if (client.terminated() || closed) {
                        return;
                    }
                    client.sendEvent(event.kind().name().toLowerCase(java.util.Locale.ROOT), Json.write(EventView.of(event)),
                            Long.toString(event.sequence()));
                    last = event.sequence();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (org.orbis.world.store.FeedGoneException e) {
            client.sendEvent("gone", Json.write(java.util.Map.of("detail", e.getMessage(), "prunedThrough",
                    e.prunedThrough())));
        } catch (RuntimeException e) {
            LOG.debug("event stream ended: {}", e.toString());
        } finally {
            if (!client.terminated()) {
                client.close();
            }
        }
    }

    /** Ends every open stream now (as a network failure would); clients resume with Last-Event-ID. */
    int dropAll() {
        int dropped = 0;
        for (SseClient client : open) {
            client.close();
            dropped++;
        }
        return dropped;
    }

    @Override
    public void close() {
        closed = true;
        stopPumps(pumps);
    }

    /**
     * Interrupts the stream pumps and waits (briefly) until they have closed their clients: a client closed after the
     * HTTP server stopped completes its request on a recycled response, and Javalin then loops on the error forever.
     */
    static void stopPumps(ExecutorService pumps) {
        pumps.shutdownNow();
        try {
            if (!pumps.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("event stream pumps still running after 2 s; stopping the HTTP server anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
