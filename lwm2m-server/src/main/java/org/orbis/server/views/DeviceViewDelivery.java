package org.orbis.server.views;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.orbis.server.operations.DeviceOperations;
import org.orbis.server.operations.OperationResult;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.query.QueryEngine;
import org.orbis.world.query.QueryHit;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.views.DeviceView;
import org.orbis.world.views.DeviceViewStore;
import org.orbis.world.views.ViewChange;
import org.orbis.world.views.ViewDefinition;
import org.orbis.world.views.ViewMaintainer;
import org.orbis.world.views.ViewStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every device's copy of its views current. One thread follows the change feed; a change to a view (a member
 * enters or leaves, or a member's value changes) marks every device copy of that view as behind in {@code device_view},
 * which is the durable record of what each device should hold and has acknowledged. Copies that are behind, past their
 * minimum interval, and whose device is reachable (registered, and awake if it sleeps) are sent as a Write of the
 * device's World View instance, one at a time per device, always with the view's content of the moment: a device that
 * sleeps through ten changes receives only the latest copy when it wakes, and nothing is superseded on the way. A copy
 * is delivered when the device acknowledges it; one that went unanswered is sent again with back-off; every copy goes
 * out once afresh after a restart and after the device registers anew (a rebooted device has lost them). Copies do not
 * pass through the command queue: they would cost it three change-feed events each for state {@code device_view}
 * already keeps.
 */
public final class DeviceViewDelivery implements RegistrationListener, AutoCloseable {

    /** The World View object (lwm2m-models/33100.xml). */
    public static final int WORLD_VIEW_OBJECT = 33100;
    /** Entries sent at most per view copy; the copy says it was truncated beyond that. */
    public static final int MAX_ENTRIES = 64;
    /** Priority of the command that takes a World View instance away from a device (see the device views API). */
    public static final int VIEW_PRIORITY = 5;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceViewDelivery.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration IDLE_LOOK = Duration.ofSeconds(1);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

    private final ChangeFeed feed;
    private final ViewStore views;
    private final ViewMaintainer maintainer;
    private final QueryEngine queries;
    private final DeviceViewStore deviceViews;
    private final DeviceOperations operations;
    private final Clock clock;
    private final Thread thread;
    private final Map<String, Members> members = new HashMap<>();
    /** Devices that registered afresh since the last round (filled on Leshan's threads, drained by ours). */
    private final ConcurrentLinkedQueue<String> registeredAfresh = new ConcurrentLinkedQueue<>();
    /** Devices with a copy sent and not answered yet: one copy at a time per device. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Answers (or their absence) to copies sent, filled on Leshan's threads, drained by ours. */
    private final ConcurrentLinkedQueue<Sent> answered = new ConcurrentLinkedQueue<>();
    /** Copies that went unanswered, by device and view: when they may be tried again. */
    private final Map<String, Retry> retries = new HashMap<>();
    private final List<DeliveryListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public DeviceViewDelivery(ChangeFeed feed, ViewStore views, ViewMaintainer maintainer, QueryEngine queries,
            DeviceViewStore deviceViews, DeviceOperations operations, Clock clock) {
        this.feed = feed;
        this.views = views;
        this.maintainer = maintainer;
        this.queries = queries;
        this.deviceViews = deviceViews;
        this.operations = operations;
        this.clock = clock;
        this.thread = new Thread(this::run, "orbis-view-delivery");
        this.thread.setDaemon(true);
    }

    /** Every device copy is sent once afresh (a restart may have lost what was in flight), then kept current. */
    public DeviceViewDelivery start() {
        deviceViews.markAllPending(feed.head());
        thread.start();
        return this;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long position = feed.head();
        long lastLook = System.nanoTime();
        while (!closed) {
            try {
                List<ChangeEvent> events = feed.awaitAfter(position, 1_000, TICK);
                if (!events.isEmpty()) {
                    long upTo = events.get(events.size() - 1).sequence();
                    maintainer.awaitProgress(upTo, Duration.ofSeconds(5));
                    deviceViews.markPending(affectedViews(events, position, upTo), upTo);
                    position = upTo;
                    lastLook = System.nanoTime();
                } else if (System.nanoTime() - lastLook > IDLE_LOOK.toNanos()) {
                    // a view (re)evaluated by the maintainer after our last look has no event of its own
                    deviceViews.markViewsUndelivered(affectedViews(List.of(), position, position));
                    lastLook = System.nanoTime();
                }
                recordAnswers(); // before registrations: a device's answer came before it rebooted and registered
                resendToRegisteredDevices();
                deliverDue();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("device view delivery: {}; retrying", e.toString());
                    sleepQuietly();
                }
            }
        }
    }

    @Override
    public void registered(Registration registration, Registration previous, Collection<Observation> observations) {
        registeredAfresh.add(registration.getEndpoint());
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
        // an update keeps the device's state: its copies are where they were
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration replacement) {
        // copies wait in the device's queue for its next registration
    }

    private void resendToRegisteredDevices() {
        Set<String> endpoints = new HashSet<>();
        for (String endpoint; (endpoint = registeredAfresh.poll()) != null; ) {
            endpoints.add(endpoint);
        }
        deviceViews.markDevicesUndelivered(endpoints);
    }

    /**
     * The subscribed views whose content changed between {@code after} and {@code upTo}. A fixed number of queries per
     * batch of changes, whatever the number of views: the batch mostly holds the command events of earlier copies.
     */
    private Set<String> affectedViews(List<ChangeEvent> events, long after, long upTo) {
        Set<String> subscribed = deviceViews.subscribedViews();
        members.keySet().retainAll(subscribed);
        Map<String, ViewDefinition> definitions = views.views(subscribed);
        Map<String, List<ViewChange>> changesByView = views.changes(subscribed, after, upTo);
        Set<NodeKey> touched = new HashSet<>();
        for (ChangeEvent event : events) {
            touched.add(event.key());
        }
        Set<String> affected = new HashSet<>();
        for (String name : subscribed) {
            ViewDefinition definition = definitions.get(name);
            if (definition == null || !definition.ready()) {
                continue; // being (re)computed: looked at once the maintainer is done, and its copies wait for that
            }
            Members current = members.get(name);
            List<ViewChange> changes = changesByView.getOrDefault(name, List.of());
            long evaluated = definition.evaluatedRevision();
            if (current == null) {
                // new to us: its devices' copies were made pending when it was given to them (or at start), so only
                // what happened in this batch makes it behind
                current = new Members(evaluated, new HashSet<>(views.members(name)));
                members.put(name, current);
                if (!changes.isEmpty() || intersects(touched, current.keys)) {
                    affected.add(name);
                }
            } else if (current.revision != evaluated) {
                // (re)evaluated wholesale by the maintainer: its membership was replaced without a log
                members.put(name, new Members(evaluated, new HashSet<>(views.members(name))));
                affected.add(name);
            } else if (!changes.isEmpty()) {
                for (ViewChange change : changes) {
                    if (change.entered()) {
                        current.keys.add(change.key());
                    } else {
                        current.keys.remove(change.key());
                    }
                }
                affected.add(name);
            } else if (intersects(touched, current.keys)) {
                affected.add(name);
            }
        }
        return affected;
    }

    private static boolean intersects(Set<NodeKey> a, Set<NodeKey> b) {
        Set<NodeKey> smaller = a.size() <= b.size() ? a : b;
        Set<NodeKey> larger = smaller == a ? b : a;
        for (NodeKey key : smaller) {
            if (larger.contains(key)) {
                return true;
            }
        }
        return false;
    }

    /** Told of every copy a device acknowledged or refused (for metrics and benchmarks); called on the delivery thread. */
    @FunctionalInterface
    public interface DeliveryListener {
        void answered(Delivery delivery);
    }

    /**
     * One copy and its answer: the device, the view, the feed sequence the copy reflects (its resource 6), when it was
     * sent and answered, and how.
     */
    public record Delivery(String endpoint, String viewName, long sequence, Instant sentAt, Instant answeredAt,
            OperationResult.Outcome outcome, String code) {
    }

    public void addListener(DeliveryListener listener) {
        listeners.add(listener);
    }

    /** Copies sent and not answered yet. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Sends the copies that are due to the devices that can take one now. Devices of one view behind at the same
     * sequence share one copy, computed once.
     */
    private void deliverDue() {
        List<DeviceView> due = deviceViews.due();
        if (due.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, Map<Integer, Object>> copies = new HashMap<>();
        for (DeviceView view : due) {
            Retry retry = retries.get(key(view.endpoint(), view.viewName()));
            if (inFlight.contains(view.endpoint()) || retry != null && retry.notBefore.isAfter(now)
                    || !operations.isReachable(view.endpoint())) {
                continue;
            }
            Map<Integer, Object> copy = copies.computeIfAbsent(view.viewName() + "@" + view.pendingSequence(),
                    key -> copy(view.viewName(), view.pendingSequence()));
            if (copy == null) {
                continue; // not evaluated yet: its copy goes out once the maintainer has computed it
            }
            send(view, copy, now);
        }
    }

    private void send(DeviceView view, Map<Integer, Object> copy, Instant now) {
        String path = "/" + WORLD_VIEW_OBJECT + "/" + view.instanceId();
        inFlight.add(view.endpoint());
        try {
            // a device that never acknowledged this view (or registered anew) may lack the instance: create it then
            operations.writeInstance(view.endpoint(), path, copy, view.deliveredSequence() < 0)
                    .whenComplete((result, error) -> answered.add(new Sent(view, now, result, error)));
        } catch (RuntimeException e) {
            answered.add(new Sent(view, now, null, e));
        }
    }

    /** Records the answers that came in: acknowledged copies in one transaction, unanswered ones for a retry. */
    private void recordAnswers() {
        List<DeviceView> delivered = new ArrayList<>();
        List<Instant> sentAt = new ArrayList<>();
        Instant now = clock.instant();
        for (Sent sent; (sent = answered.poll()) != null; ) {
            DeviceView view = sent.view;
            inFlight.remove(view.endpoint());
            String key = key(view.endpoint(), view.viewName());
            OperationResult.Outcome outcome = sent.error != null ? OperationResult.Outcome.FAILED : sent.result.outcome();
            String code = sent.error != null ? sent.error.toString() : sent.result.code();
            switch (outcome) {
                case SUCCESS -> {
                    retries.remove(key);
                    delivered.add(view);
                    sentAt.add(sent.at);
                }
                case DEVICE_ERROR -> {
                    if ("NOT_FOUND".equals(code) && view.deliveredSequence() >= 0) {
                        // the device lost the instance without registering anew: the next copy creates it
                        // (a NOT_FOUND to a copy that could create it means no World View object: a refusal)
                        deviceViews.markUndelivered(view.endpoint(), view.instanceId());
                    } else {
                        LOG.warn("{}: refused its copy of view '{}' ({}); it gets the next one", view.endpoint(),
                                view.viewName(), code);
                        delivered.add(view);
                        sentAt.add(sent.at);
                    }
                }
                case SLEEPING -> {
                    // fell asleep before it could be sent: goes out at its next wake-up, no attempt counted
                }
                default -> {
                    Retry retry = retries.merge(key, new Retry(1, now.plus(FIRST_BACKOFF)), (old, first) -> new Retry(
                            old.attempts + 1, now.plus(backoff(old.attempts + 1))));
                    LOG.info("{}: copy of view '{}' not delivered ({}); trying again in {} s", view.endpoint(),
                            view.viewName(), code, Duration.between(now, retry.notBefore).toSeconds());
                }
            }
            Delivery delivery = new Delivery(view.endpoint(), view.viewName(), view.pendingSequence(), sent.at, now,
                    outcome, code);
            listeners.forEach(listener -> listener.answered(delivery));
        }
        deviceViews.markDelivered(delivered, sentAt);
    }

    private static Duration backoff(int attempts) {
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(10, attempts - 1));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    private static String key(String endpoint, String viewName) {
        return endpoint + '\u0000' + viewName;
    }

    /** The World View instance content of a view now: parallel lists of keys, values, types, times and numbers. */
    private Map<Integer, Object> copy(String name, long sequence) {
        Optional<ViewDefinition> definition = views.view(name);
        if (definition.isEmpty() || !definition.get().ready()) {
            return null;
        }
        List<NodeKey> keys = views.members(name);
        boolean truncated = keys.size() > MAX_ENTRIES;
        List<QueryHit> hits = queries.hydrate(truncated ? keys.subList(0, MAX_ENTRIES) : keys);
        List<Object> entryKeys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<Object> types = new ArrayList<>();
        List<Object> times = new ArrayList<>();
        List<Object> numbers = new ArrayList<>();
        for (QueryHit hit : hits) {
            Entry entry = entry(hit);
            entryKeys.add(hit.key().value());
            values.add(entry.value().text());
            types.add(entry.value().type().ordinal());
            times.add(entry.time() == null ? null : entry.time().toString());
            numbers.add(numeric(entry.value()));
        }
        Map<Integer, Object> resources = new LinkedHashMap<>();
        resources.put(0, name);
        resources.put(1, entryKeys);
        resources.put(2, values);
        resources.put(3, types);
        resources.put(4, times);
        resources.put(5, numbers);
        resources.put(6, sequence);
        resources.put(8, truncated);
        return resources;
    }

    private static Entry entry(QueryHit hit) {
        if (hit instanceof QueryHit.ResourceHit resource) {
            var value = resource.value();
            return new Entry(value.value(), value.deviceTime() != null ? value.deviceTime() : value.serverTime());
        }
        if (hit instanceof QueryHit.DeviceHit device) {
            return new Entry(TypedValue.ofString(device.device().state().label()), device.device().lastSeen());
        }
        QueryHit.EntityHit entity = (QueryHit.EntityHit) hit;
        return new Entry(TypedValue.ofString(entity.entity().label() == null ? "" : entity.entity().label()),
                entity.entity().updatedAt());
    }

    private static Double numeric(TypedValue value) {
        if (value.type() == org.orbis.world.graph.ValueType.BOOLEAN) {
            return Boolean.parseBoolean(value.text()) ? 1.0 : 0.0;
        }
        return value.numeric();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Entry(TypedValue value, Instant time) {
    }

    private record Sent(DeviceView view, Instant at, OperationResult result, Throwable error) {
    }

    private record Retry(int attempts, Instant notBefore) {
    }

    private static final class Members {
        final long revision;
        final Set<NodeKey> keys;

        Members(long revision, Set<NodeKey> keys) {
            this.revision = revision;
            this.keys = keys;
        }
    }
}
