package org.orbis.world.views;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.query.NodeQuery;
import org.orbis.world.query.QueryEngine;
import org.orbis.world.query.QueryException;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.FeedGoneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every view's membership current, on the named thread {@code orbis-view-maintainer}. It follows the change
 * feed in batches; for each view it decides from the batch's changes whether the view must be recomputed in full (a
 * graph change inside its traversal, a redefinition), whether a few nodes must be re-checked (a new resource matching
 * its path pattern, a device whose state changed) or nothing (the common case: values of nodes that are members or
 * cannot become members). Membership changes are stored with the sequence of the batch's last change, together with
 * the new progress, in one transaction.
 */
public final class ViewMaintainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewMaintainer.class);
    private static final int BATCH = 1_000;
    private static final Duration POLL = Duration.ofMillis(500);

    private final ViewStore views;
    private final QueryEngine queries;
    private final ChangeFeed feed;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final Object monitor = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long progress;

    public ViewMaintainer(ViewStore views, QueryEngine queries, ChangeFeed feed) {
        this.views = views;
        this.queries = queries;
        this.feed = feed;
        this.progress = views.maintained();
        this.thread = new Thread(this::run, "orbis-view-maintainer");
        this.thread.setDaemon(true);
    }

    public ViewMaintainer start() {
        thread.start();
        return this;
    }

    /** The sequence through which every membership is current. */
    public long progress() {
        return progress;
    }

    /** Waits until the maintainer has passed {@code sequence} (or the timeout ends); returns the progress. */
    public long awaitProgress(long sequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            long remaining;
            while (progress < sequence && (remaining = deadline - System.nanoTime()) > 0) {
                monitor.wait(Math.max(1, remaining / 1_000_000));
            }
        }
        return progress;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                round();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("view maintenance round failed, retrying: {}", e.toString());
                tracked.clear();
                sleep();
            }
        }
    }

    /** One round: read what follows the progress, work out every view's diff, store them. */
    void round() throws InterruptedException {
        List<ChangeEvent> events;
        boolean resync = false;
        try {
            events = feed.awaitAfter(progress, BATCH, POLL);
        } catch (FeedGoneException e) {
            LOG.warn("view maintainer fell behind the change feed's retention; recomputing every view");
            events = List.of();
            resync = true;
        }
        long sequence = events.isEmpty() ? Math.max(progress, resync ? feed.head() : progress)
                : events.get(events.size() - 1).sequence();
        Map<String, ViewDefinition> definitions = new HashMap<>();
        views.views().forEach(view -> definitions.put(view.name(), view));
        tracked.keySet().retainAll(definitions.keySet());
        List<ViewStore.Diff> diffs = new ArrayList<>();
        for (ViewDefinition definition : definitions.values()) {
            ViewStore.Diff diff = maintain(definition, events, resync);
            if (diff != null) {
                diffs.add(diff);
            }
        }
        if (sequence == progress && diffs.isEmpty()) {
            return;
        }
        if (!views.apply(progress, sequence, diffs)) {
            LOG.info("another maintainer moved view progress; reloading");
            tracked.clear();
            progress = views.maintained();
            return;
        }
        for (ViewStore.Diff diff : diffs) {
            Tracked state = tracked.get(diff.view());
            if (state != null && state.revision == diff.revision()) {
                state.members.removeAll(diff.left());
                state.members.addAll(diff.entered());
            }
        }
        synchronized (monitor) {
            progress = sequence;
            monitor.notifyAll();
        }
    }

    private ViewStore.Diff maintain(ViewDefinition definition, List<ChangeEvent> events, boolean resync) {
        Tracked state = tracked.get(definition.name());
        boolean redefined = !definition.ready() || state != null && state.revision != definition.revision();
        if (state == null || state.revision != definition.revision()) {
            NodeQuery query;
            try {
                query = NodeQuery.parse(definition.query());
            } catch (QueryException e) {
                LOG.warn("view '{}' has a query that no longer parses: {}", definition.name(), e.getMessage());
                return null;
            }
            state = new Tracked(definition.revision(), query, new LinkedHashSet<>(views.members(definition.name())));
            tracked.put(definition.name(), state);
            state.reach = reachOrEmpty(query);
        }
        if (events.isEmpty() && !redefined && !resync) {
            // nothing happened; a membership change needs a sequence to be logged under
            return null;
        }
        boolean full = redefined || resync;
        Set<NodeKey> recheck = new LinkedHashSet<>();
        Set<String> devices = new LinkedHashSet<>();
        if (!full) {
            for (ChangeEvent event : events) {
                switch (relevance(state, event)) {
                    case FULL -> full = true;
                    case NODE -> recheck.add(event.key());
                    case DEVICE -> devices.add(event.endpoint());
                    case NONE -> {
                    }
                }
                if (full) {
                    break;
                }
            }
        }
        Set<NodeKey> now;
        try {
            if (full) {
                state.reach = reachOrEmpty(state.query);
                now = new LinkedHashSet<>(queries.keys(state.query, state.reach, null, null));
            } else if (!recheck.isEmpty() || !devices.isEmpty()) {
                now = new LinkedHashSet<>(state.members);
                if (!recheck.isEmpty()) {
                    now.removeAll(recheck);
                    now.addAll(queries.keys(state.query, state.reach, recheck, null));
                }
                for (String endpoint : devices) {
                    now.removeIf(key -> endpoint.equals(key.endpoint()));
                    now.addAll(queries.keys(state.query, state.reach, null, endpoint));
                }
            } else {
                return null;
            }
        } catch (QueryException e) {
            // e.g. the traversal's root was deleted: the view is empty until it exists again
            now = Set.of();
            state.reach = Set.of();
        }
        Set<NodeKey> entered = new LinkedHashSet<>(now);
        entered.removeAll(state.members);
        Set<NodeKey> left = new LinkedHashSet<>(state.members);
        left.removeAll(now);
        if (entered.isEmpty() && left.isEmpty() && !redefined) {
            return null;
        }
        return new ViewStore.Diff(definition.name(), definition.revision(), redefined, entered, left);
    }

    /** The traversal's reach; empty while its root does not exist. {@code null} for views without traversal. */
    private Set<NodeKey> reachOrEmpty(NodeQuery query) {
        if (query.traversal() == null) {
            return null;
        }
        try {
            return queries.reach(query.traversal());
        } catch (QueryException e) {
            return Set.of();
        }
    }

    private enum Relevance { NONE, NODE, DEVICE, FULL }

    private static Relevance relevance(Tracked state, ChangeEvent event) {
        NodeQuery query = state.query;
        switch (event.kind()) {
            case ENTITY, EDGE -> {
                if (query.traversal() != null) {
                    return touchesReach(state, event) ? Relevance.FULL : Relevance.NONE;
                }
                return !query.selectsResources() && event.kind() == ChangeEvent.Kind.ENTITY ? Relevance.NODE : Relevance.NONE;
            }
            case DEVICE -> {
                if (query.hasDeviceClauses() || !query.selectsResources() && query.traversal() == null) {
                    return query.traversal() != null && !inReach(state, NodeKey.device(event.endpoint()))
                            ? Relevance.NONE : Relevance.DEVICE;
                }
                return Relevance.NONE;
            }
            case VALUE -> {
                if (!query.selectsResources() || !query.path().matches(event.endpoint(), event.path())) {
                    return Relevance.NONE;
                }
                if (query.traversal() != null && !inReach(state, NodeKey.device(event.endpoint()))) {
                    return Relevance.NONE;
                }
                boolean isNew = event.revision() != null && event.revision() == 1;
                boolean member = state.members.contains(event.key());
                return isNew && !member || query.value() != null ? Relevance.NODE : Relevance.NONE;
            }
            default -> {
                return Relevance.NONE;
            }
        }
    }

    private static boolean touchesReach(Tracked state, ChangeEvent event) {
        Set<String> keys = new HashSet<>();
        keys.add(event.key().value());
        String detail = event.detail();
        if (event.kind() == ChangeEvent.Kind.EDGE && detail != null) {
            int to = detail.indexOf("\"to\":\"");
            if (to >= 0) {
                keys.add(detail.substring(to + 6, detail.indexOf('"', to + 6)));
            }
        }
        for (String key : keys) {
            NodeKey node = new NodeKey(key);
            if (node.equals(state.query.traversal().root()) || inReach(state, node)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inReach(Tracked state, NodeKey key) {
        return state.reach == null || state.reach.contains(key);
    }

    private void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** What the maintainer remembers of one view between rounds. */
    private static final class Tracked {
        final long revision;
        final NodeQuery query;
        final Set<NodeKey> members;
        Set<NodeKey> reach;

        Tracked(long revision, NodeQuery query, Set<NodeKey> members) {
            this.revision = revision;
            this.query = query;
            this.members = members;
        }
    }
}
