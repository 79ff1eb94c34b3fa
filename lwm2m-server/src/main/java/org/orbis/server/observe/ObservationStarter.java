package org.orbis.server.observe;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.server.californium.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.orbis.server.ingest.NotificationIngestor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the policy's observations when a device registers, and observes instances that appear in a registration
 * update. Requests are asynchronous; the initial value in each observe response goes to the ingestor like a
 * notification. Called on Leshan's threads; never blocks.
 */
public final class ObservationStarter implements RegistrationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ObservationStarter.class);
    private static final long TIMEOUT_MS = 30_000;

    private final LeshanServer server;
    private final ObservePolicy policy;
    private final NotificationIngestor ingestor;
    private final UnconfirmedObservations unconfirmed;

    public ObservationStarter(LeshanServer server, ObservePolicy policy, NotificationIngestor ingestor) {
        this(server, policy, ingestor, new UnconfirmedObservations());
    }

    /** Also observes everything again on the first Update of a registration that is still {@code unconfirmed}. */
    public ObservationStarter(LeshanServer server, ObservePolicy policy, NotificationIngestor ingestor,
            UnconfirmedObservations unconfirmed) {
        this.server = server;
        this.policy = policy;
        this.ingestor = ingestor;
        this.unconfirmed = unconfirmed;
    }

    @Override
    public void registered(Registration registration, Registration previous, Collection<Observation> previousObservations) {
        observe(registration, policy.targets(registration.getObjectLinks(), registration.getRootPath()));
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
        if (unconfirmed.take(updated.getId())) {
            LOG.info("{}: observing again after an unplanned server restart", updated.getEndpoint());
            observe(updated, policy.targets(updated.getObjectLinks(), updated.getRootPath()));
            return;
        }
        if (update.getObjectLinks() == null) {
            return;
        }
        Set<LwM2mPath> observed = server.getObservationService().getObservations(updated).stream()
                .filter(SingleObservation.class::isInstance).map(o -> ((SingleObservation) o).getPath())
                .collect(Collectors.toSet());
        observe(updated, policy.targets(updated.getObjectLinks(), updated.getRootPath()).stream()
                .filter(path -> !observed.contains(path)).toList());
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration newReg) {
        // Leshan drops a registration's observations with it.
    }

    private void observe(Registration registration, List<LwM2mPath> targets) {
        String endpoint = registration.getEndpoint();
        for (LwM2mPath path : targets) {
            try {
                server.send(registration, new ObserveRequest(path.toString()), TIMEOUT_MS, response -> {
                    if (response.isSuccess()) {
                        ingestor.ingest(endpoint, path, response);
                    } else {
                        LOG.warn("{}: observe {} refused: {} {}", endpoint, path, response.getCode(),
                                response.getErrorMessage() == null ? "" : response.getErrorMessage());
                    }
                }, error -> {
                    // a timeout or a lost session: observe everything again at the device's next Update
                    unconfirmed.markFailed(registration.getId());
                    LOG.warn("{}: observe {} failed, retried at the next Update: {}", endpoint, path, error.toString());
                });
            } catch (RuntimeException e) {
                unconfirmed.markFailed(registration.getId());
                LOG.warn("{}: cannot observe {}, retried at the next Update: {}", endpoint, path, e.toString());
            }
        }
    }
}
