package org.orbis.server.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.TimestampedLwM2mNode;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.SendRequest;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.send.SendListener;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.store.WorldWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives notifications (single and composite observations) and Send requests, and queues their values for the
 * world model. Called on Californium's threads: it converts and queues, and returns.
 */
public final class NotificationIngestor implements ObservationListener, SendListener {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationIngestor.class);

    private final WorldWriter writer;
    private final Clock clock;
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    public NotificationIngestor(WorldWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /** Queues the values of a read or observe response for {@code path}. */
    public void ingest(String endpoint, LwM2mPath path, ObserveResponse response) {
        Instant receivedAt = clock.instant();
        List<TimestampedLwM2mNode> timestamped = response.getTimestampedLwM2mNode();
        if (timestamped != null && !timestamped.isEmpty() && timestamped.get(0).isTimestamped()) {
            for (TimestampedLwM2mNode node : timestamped) {
                Instant deviceTime = node.getTimestamp() == null ? null : Instant.ofEpochSecond(node.getTimestamp());
                submit(NodeValues.flatten(endpoint, path, node.getNode(), deviceTime, receivedAt));
            }
        } else if (response.getContent() != null) {
            submit(NodeValues.flatten(endpoint, path, response.getContent(), null, receivedAt));
        }
    }

    public void ingest(String endpoint, Map<LwM2mPath, LwM2mNode> nodes) {
        Instant receivedAt = clock.instant();
        nodes.forEach((path, node) -> {
            if (node != null) {
                submit(NodeValues.flatten(endpoint, path, node, null, receivedAt));
            }
        });
    }

    @Override
    public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
        notifications.incrementAndGet();
        ingest(registration.getEndpoint(), observation.getPath(), response);
    }

    @Override
    public void onResponse(CompositeObservation observation, Registration registration, ObserveCompositeResponse response) {
        notifications.incrementAndGet();
        ingest(registration.getEndpoint(), response.getContent());
    }

    @Override
    public void dataReceived(Registration registration, Map<String, LwM2mNode> data, SendRequest request) {
        notifications.incrementAndGet();
        Instant receivedAt = clock.instant();
        data.forEach((path, node) -> submit(
                NodeValues.flatten(registration.getEndpoint(), new LwM2mPath(path), node, null, receivedAt)));
    }

    @Override
    public void onError(Observation observation, Registration registration, Exception error) {
        errors.incrementAndGet();
        LOG.warn("{}: notification for {} could not be used: {}", registration.getEndpoint(), observation, error.toString());
    }

    @Override
    public void newObservation(Observation observation, Registration registration) {
        LOG.debug("{}: observing {}", registration.getEndpoint(), observation);
    }

    @Override
    public void cancelled(Observation observation) {
        LOG.debug("observation cancelled: {}", observation);
    }

    public long notificationCount() {
        return notifications.get();
    }

    public long errorCount() {
        return errors.get();
    }

    private void submit(List<ReportedValue> values) {
        values.forEach(writer::submit);
    }
}
