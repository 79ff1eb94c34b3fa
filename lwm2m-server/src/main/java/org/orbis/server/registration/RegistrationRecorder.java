package org.orbis.server.registration;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.request.BindingMode;
import org.eclipse.leshan.server.queue.PresenceListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.WorldUpdate.DeviceStateChange;
import org.orbis.world.store.WorldWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Leshan's registration and presence events into device state changes. Leshan calls it on its CoAP threads;
 * every method only queues an update on the {@link WorldWriter}.
 */
public final class RegistrationRecorder implements RegistrationListener, PresenceListener {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationRecorder.class);

    private final WorldWriter writer;
    private final Clock clock;

    public RegistrationRecorder(WorldWriter writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void registered(Registration registration, Registration previous, Collection<Observation> previousObservations) {
        LOG.info("{} registered from {} (LwM2M {}, lifetime {} s{})", registration.getEndpoint(),
                address(registration), registration.getLwM2mVersion(), registration.getLifeTimeInSec(),
                registration.usesQueueMode() ? ", queue mode" : "");
        record(registration, DeviceState.ONLINE);
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
        record(updated, DeviceState.ONLINE);
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration replacement) {
        if (replacement != null) {
            return;
        }
        LOG.info("{} {}", registration.getEndpoint(), expired ? "registration expired" : "deregistered");
        writer.submit(new DeviceStateChange(registration.getEndpoint(), DeviceState.OFFLINE, null, clock.instant()));
    }

    @Override
    public void onAwake(Registration registration) {
        writer.submit(new DeviceStateChange(registration.getEndpoint(), DeviceState.ONLINE, null, clock.instant()));
    }

    @Override
    public void onSleeping(Registration registration) {
        writer.submit(new DeviceStateChange(registration.getEndpoint(), DeviceState.SLEEPING, null, clock.instant()));
    }

    private void record(Registration registration, DeviceState state) {
        writer.submit(new DeviceStateChange(registration.getEndpoint(), state, describe(registration), clock.instant()));
    }

    static org.orbis.world.graph.Registration describe(Registration registration) {
        String binding = registration.getBindingMode() == null ? null
                : registration.getBindingMode().stream().map(BindingMode::name).collect(Collectors.joining());
        String links = Arrays.stream(registration.getSortedObjectLinks()).map(Link::toString)
                .collect(Collectors.joining(","));
        return new org.orbis.world.graph.Registration(registration.getId(),
                registration.getLwM2mVersion() == null ? null : registration.getLwM2mVersion().toString(), binding,
                registration.getLifeTimeInSec() == null ? 0 : registration.getLifeTimeInSec(),
                registration.usesQueueMode(), address(registration), links,
                registration.getRegistrationDate().toInstant());
    }

    private static String address(Registration registration) {
        String host = registration.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + registration.getPort();
    }
}
