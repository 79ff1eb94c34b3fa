package org.orbis.server.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.orbis.server.commands.CommandPayload;
import org.orbis.server.commands.CommandService;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.commands.NewCommand;
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
 * enters or leaves, or a member's value changes) marks every device copy of that view as behind. Copies that are behind
 * and past their minimum interval are queued as a Write of the device's World View instance, with the coalesce key of
 * that instance, so a device that sleeps through ten changes receives only the latest copy when it wakes. A copy whose
 * Write never reached the device (no answer until its attempts ran out, or expired) is sent again, and so is every copy
 * of a device that registers afresh (a rebooted device may have lost them); a copy the device refused is not.
 */
public final class DeviceViewDelivery implements RegistrationListener, AutoCloseable {

    /** The World View object (lwm2m-models/33100.xml). */
    public static final int WORLD_VIEW_OBJECT = 33100;
    /** Entries sent at most per view copy; the copy says it was truncated beyond that. */
    public static final int MAX_ENTRIES = 64;
    public static final int VIEW_PRIORITY = 5;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceViewDelivery.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration COPY_TTL = Duration.ofDays(7);
    /** Copies queued per transaction. */
    private static final int QUEUE_BATCH = 100;
    /** Why a command ended without the device having answered it (the dispatcher's and the queue's own codes). */
    private static final Set<String> UNDELIVERED = Set.of("NOT_DELIVERED", "TIMEOUT", "FAILED", "EXPIRED");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChangeFeed feed;
    private final ViewStore views;
    private final ViewMaintainer maintainer;
    private final QueryEngine queries;
    private final DeviceViewStore deviceViews;
    private final CommandService commands;
    private final Thread thread;
    private final Map<String, Members> members = new HashMap<>();
    /** Devices that registered afresh since the last round (filled on Leshan's threads, drained by ours). */
    private final ConcurrentLinkedQueue<String> registeredAfresh = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public DeviceViewDelivery(ChangeFeed feed, ViewStore views, ViewMaintainer maintainer, QueryEngine queries,
            DeviceViewStore deviceViews, CommandService commands) {
        this.feed = feed;
        this.views = views;
        this.maintainer = maintainer;
        this.queries = queries;
        this.deviceViews = deviceViews;
        this.commands = commands;
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
        while (!closed) {
            try {
                List<ChangeEvent> events = feed.awaitAfter(position, 1_000, TICK);
                if (!events.isEmpty()) {
                    long upTo = events.get(events.size() - 1).sequence();
                    maintainer.awaitProgress(upTo, Duration.ofSeconds(5));
                    deviceViews.markPending(affectedViews(events, position, upTo), upTo);
                    redeliverLostCopies(events);
                    position = upTo;
                }
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
        deviceViews.markUndelivered(endpoints);
    }

    /** Copies whose Write ended without an answer from the device are marked undelivered, to go out again. */
    private void redeliverLostCopies(List<ChangeEvent> events) {
        for (ChangeEvent event : events) {
            String detail = event.detail();
            if (event.kind() != ChangeEvent.Kind.COMMAND || detail == null || !detail.contains("\"origin\":\"view\"")
                    || !detail.contains("\"status\":\"failed\"") && !detail.contains("\"status\":\"expired\"")) {
                continue;
            }
            try {
                JsonNode command = JSON.readTree(detail);
                String path = command.path("path").asText("");
                String prefix = "/" + WORLD_VIEW_OBJECT + "/";
                if (!"write_instance".equals(command.path("kind").asText()) || !path.startsWith(prefix)) {
                    continue;
                }
                String code = command.path("code").asText("");
                if (UNDELIVERED.contains(code)) {
                    LOG.info("{}: view copy {} was not delivered ({}); sending it again", event.endpoint(), path, code);
                    deviceViews.markUndelivered(event.endpoint(), Integer.parseInt(path.substring(prefix.length())));
                } else {
                    LOG.warn("{}: device refused view copy {} ({}); it gets the next one", event.endpoint(), path, code);
                }
            } catch (IOException | NumberFormatException e) {
                LOG.warn("unreadable command event {}: {}", event.sequence(), e.toString());
            }
        }
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
            if (definition == null) {
                continue;
            }
            Members current = members.get(name);
            List<ViewChange> changes = changesByView.getOrDefault(name, List.of());
            long evaluated = definition.evaluatedRevision();
            if (current == null || current.revision != evaluated) {
                // new to us, or (re)evaluated wholesale by the maintainer: its membership was replaced without a log
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

    /**
     * Queues the copies that are due, {@link #QUEUE_BATCH} per transaction: one turn of the change feed's lock per
     * batch rather than per copy, while the command dispatcher and the world writer still get their turns in between.
     * A device still waiting for the answer to a command gets its copy once that answer is in: queued now, the copy
     * would only wait behind it and, with the next change of its view, be superseded unsent; queued then, it carries
     * the newest state. A device that sleeps has nothing in flight, so its copy is queued and superseded as usual
     * (latest wins while it sleeps).
     */
    private void deliverDue() {
        List<DeviceView> behind = deviceViews.due();
        if (behind.isEmpty()) {
            return;
        }
        Set<String> busy = commands.endpointsInFlight();
        Map<String, CommandPayload> copies = new HashMap<>();
        List<NewCommand> batch = new ArrayList<>();
        List<DeviceView> queued = new ArrayList<>();
        for (DeviceView due : behind) {
            if (busy.contains(due.endpoint())) {
                continue;
            }
            // devices of one view behind at the same sequence share one copy; its resource 6 says which sequence
            CommandPayload copy = copies.computeIfAbsent(due.viewName() + "@" + due.pendingSequence(),
                    key -> copy(due.viewName(), due.pendingSequence()));
            if (copy == null) {
                continue; // not evaluated yet: its copy goes out once the maintainer has computed it
            }
            String path = "/" + WORLD_VIEW_OBJECT + "/" + due.instanceId();
            batch.add(new NewCommand(due.endpoint(), CommandKind.WRITE_INSTANCE, path, copy.toJson(), VIEW_PRIORITY,
                    "view:" + path, "view", COPY_TTL, NewCommand.DEFAULT_MAX_ATTEMPTS));
            queued.add(due);
            if (batch.size() == QUEUE_BATCH) {
                queue(batch, queued);
            }
        }
        queue(batch, queued);
    }

    private void queue(List<NewCommand> batch, List<DeviceView> queued) {
        commands.queueAll(batch);
        deviceViews.markQueued(queued);
        batch.clear();
        queued.clear();
    }

    /** The World View instance content of a view now: parallel lists of keys, values, types, times and numbers. */
    private CommandPayload copy(String name, long sequence) {
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
        return new CommandPayload(null, null, resources);
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

    private record Entry(TypedValue value, java.time.Instant time) {
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
