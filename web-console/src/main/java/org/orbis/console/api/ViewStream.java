package org.orbis.console.api;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.orbis.console.api.NodeViews.NodeView;
import org.orbis.console.platform.WorldServices;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.query.QueryHit;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.FeedGoneException;
import org.orbis.world.views.ViewChange;
import org.orbis.world.views.ViewState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/views/{name}/events}: a view's result, then every change to it, as Server-Sent Events.
 *
 * <ul>
 *   <li>{@code snapshot}: the whole result (in chunks of {@value #SNAPSHOT_CHUNK} nodes; the last has
 *       {@code "complete": true} and carries the id);</li>
 *   <li>{@code enter} / {@code leave}: a node joined or left the result (with its current state when it joins);</li>
 *   <li>{@code change}: a member changed (a value, a device state, an entity), shaped like {@code /api/events};</li>
 *   <li>{@code gone}: the position asked for is older than the change feed's retention; reload and subscribe anew.</li>
 * </ul>
 * Event ids are feed sequences; only the last event of a sequence carries it, so a client that resumes with
 * {@code Last-Event-ID} (or {@code ?since=N}) gets everything after that sequence, nothing twice. The stream follows
 * the view maintainer, so it never shows a membership the maintainer has not computed yet.
 */
final class ViewStream implements AutoCloseable {

    static final int MAX_STREAMS = 64;
    static final int SNAPSHOT_CHUNK = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ViewStream.class);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int BATCH = 500;

    private final WorldServices services;
    private final ChangeFeed feed;
    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService pumps = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "orbis-view-sse-" + threadCount.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    ViewStream(WorldServices services, ChangeFeed feed) {
        this.services = services;
        this.feed = feed;
    }

    /** Where a new stream starts: {@code null} for a snapshot; validated before the response is committed. */
    Long startSequence(String name, String lastEventId, String since) {
        if (services.views().view(name).isEmpty()) {
            throw ApiException.notFound("no view '" + name + "'; define it with PUT /api/views/" + name);
        }
        String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : since;
        if (given == null || given.isBlank()) {
            return null;
        }
        long sequence;
        try {
            sequence = Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Last-Event-ID / since must be a sequence number, not '" + given + "'");
        }
        long pruned = feed.prunedThrough();
        if (sequence < pruned) {
            throw gone(new FeedGoneException(sequence, pruned));
        }
        return sequence;
    }

    static ApiException gone(FeedGoneException e) {
        return new ApiException(410, "Gone", e.getMessage(), Map.of("prunedThrough", e.prunedThrough()));
    }

    /** @param stillAllowed whether the subscriber's sign-in still holds; checked while the stream idles */
    void open(SseClient client, String name, Long after, BooleanSupplier stillAllowed) {
        if (!slots.tryAcquire()) {
            client.sendEvent("error", "{\"detail\":\"too many open view streams (" + MAX_STREAMS + "); retry later\"}");
            client.close();
            return;
        }
        client.keepAlive();
        pumps.execute(() -> {
            try {
                new Pump(client, name, stillAllowed).run(after);
            } finally {
                slots.release();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        EventStream.stopPumps(pumps);
    }

    /** One subscriber: its view of the membership and the value sequence it has shown per member. */
    private final class Pump {
        private final SseClient client;
        private final String name;
        private final BooleanSupplier stillAllowed;
        private final Set<NodeKey> members = new LinkedHashSet<>();
        private final Map<NodeKey, Long> shownSequence = new HashMap<>();
        private long revision;

        Pump(SseClient client, String name, BooleanSupplier stillAllowed) {
            this.client = client;
            this.name = name;
            this.stillAllowed = stillAllowed;
        }

        void run(Long after) {
            try {
                ViewState state = awaitReady(after);
                if (state == null) {
                    return;
                }
                long last;
                if (after == null || state.resync()) {
                    last = snapshot(state);
                } else {
                    members.addAll(state.members());
                    revision = state.definition().revision();
                    last = replay(after, state.maintained(), state.changes());
                }
                while (!client.terminated() && !closed) {
                    long progress = services.maintainer().awaitProgress(last + 1, KEEP_ALIVE);
                    if (progress <= last) {
                        if (!stillAllowed.getAsBoolean()) {
                            client.sendEvent("error", "{\"detail\":\"signed out or session expired\"}");
                            return;
                        }
                        client.sendComment("keep-alive");
                        continue;
                    }
                    ViewState next = services.views().state(name, last).orElse(null);
                    if (next == null) {
                        client.sendEvent("deleted", "{\"view\":" + Json.write(name) + "}");
                        return;
                    }
                    if (next.resync() || next.definition().revision() != revision) {
                        last = snapshot(services.views().state(name, null).orElseThrow());
                    } else {
                        last = replay(last, next.maintained(), next.changes());
                    }
                }
            } catch (FeedGoneException e) {
                client.sendEvent("gone", Json.write(Map.of("detail", e.getMessage(), "prunedThrough", e.prunedThrough())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("view stream for '{}' ended: {}", name, e.toString());
            } finally {
                client.close();
            }
        }

        /** The view once the maintainer has computed its current definition, or {@code null} if it is deleted. */
        private ViewState awaitReady(Long after) throws InterruptedException {
            while (!client.terminated() && !closed) {
                ViewState state = services.views().state(name, after).orElse(null);
                if (state == null) {
                    client.sendEvent("deleted", "{\"view\":" + Json.write(name) + "}");
                    return null;
                }
                if (state.definition().ready()) {
                    return state;
                }
                services.maintainer().awaitProgress(state.maintained() + 1, Duration.ofMillis(200));
            }
            return null;
        }

        private long snapshot(ViewState state) {
            members.clear();
            shownSequence.clear();
            members.addAll(state.members());
            revision = state.definition().revision();
            List<QueryHit> hits = services.queries().hydrate(new ArrayList<>(members));
            hits.forEach(this::remember);
            for (int start = 0; start == 0 || start < hits.size(); start += SNAPSHOT_CHUNK) {
                List<QueryHit> chunk = hits.subList(start, Math.min(hits.size(), start + SNAPSHOT_CHUNK));
                boolean complete = start + SNAPSHOT_CHUNK >= hits.size();
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("view", name);
                data.put("query", state.definition().query());
                data.put("revision", revision);
                data.put("seq", state.maintained());
                data.put("total", hits.size());
                data.put("members", chunk.stream().map(NodeView::of).toList());
                data.put("complete", complete);
                if (complete) {
                    client.sendEvent("snapshot", Json.write(data), Long.toString(state.maintained()));
                } else {
                    client.sendEvent("snapshot", Json.write(data));
                }
            }
            return state.maintained();
        }

        /** Sends, in sequence order, the membership changes and the members' changes in {@code (after, upTo]}. */
        private long replay(long after, long upTo, List<ViewChange> changes) {
            int nextChange = 0;
            long position = after;
            while (position < upTo) {
                List<ChangeEvent> events = feed.readAfter(position, BATCH);
                List<ChangeEvent> inRange = events.stream().filter(event -> event.sequence() <= upTo).toList();
                long batchEnd = inRange.isEmpty() ? upTo : inRange.get(inRange.size() - 1).sequence();
                if (events.isEmpty() || inRange.size() < events.size()) {
                    batchEnd = upTo;
                }
                List<Message> messages = new ArrayList<>();
                int event = 0;
                while (event < inRange.size() || nextChange < changes.size()
                        && changes.get(nextChange).sequence() <= batchEnd) {
                    boolean takeEvent = event < inRange.size() && (nextChange >= changes.size()
                            || inRange.get(event).sequence() <= changes.get(nextChange).sequence());
                    if (takeEvent) {
                        memberChange(inRange.get(event++), messages);
                    } else {
                        membershipChange(changes.get(nextChange++), messages);
                    }
                }
                send(messages);
                position = batchEnd;
            }
            return upTo;
        }

        private void memberChange(ChangeEvent event, List<Message> out) {
            NodeKey key = event.key();
            if (!members.contains(key) || event.sequence() <= shownSequence.getOrDefault(key, 0L)) {
                return;
            }
            shownSequence.put(key, event.sequence());
            out.add(new Message(event.sequence(), "change", Json.write(Views.EventView.of(event))));
        }

        private void membershipChange(ViewChange change, List<Message> out) {
            if (change.entered()) {
                if (!members.add(change.key())) {
                    return;
                }
                List<QueryHit> hit = services.queries().hydrate(List.of(change.key()));
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("seq", change.sequence());
                data.put("key", change.key().value());
                hit.forEach(found -> {
                    remember(found);
                    data.put("node", NodeView.of(found));
                });
                out.add(new Message(change.sequence(), "enter", Json.write(data)));
            } else if (members.remove(change.key())) {
                shownSequence.remove(change.key());
                out.add(new Message(change.sequence(), "leave",
                        Json.write(Map.of("seq", change.sequence(), "key", change.key().value()))));
            }
        }

        private void remember(QueryHit hit) {
            if (hit instanceof QueryHit.ResourceHit resource) {
                shownSequence.put(hit.key(), resource.value().sequence());
            }
        }

        /** Only the last message of each sequence carries the id, so a resume never skips part of a sequence. */
        private void send(List<Message> messages) {
            for (int i = 0; i < messages.size(); i++) {
                Message message = messages.get(i);
                boolean lastOfSequence = i + 1 == messages.size() || messages.get(i + 1).sequence() != message.sequence();
                if (lastOfSequence) {
                    client.sendEvent(message.name(), message.data(), Long.toString(message.sequence()));
                } else {
                    client.sendEvent(message.name(), message.data());
                }
            }
        }
    }

    private record Message(long sequence, String name, String data) {
    }
}
