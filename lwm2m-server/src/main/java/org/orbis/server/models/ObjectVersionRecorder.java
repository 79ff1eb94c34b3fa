package org.orbis.server.models;

import java.util.Collection;
import java.util.Map;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.orbis.world.store.WorldUpdate.DeviceObjects;
import org.orbis.world.store.WorldWriter;

/**
 * Tells the world model which object versions a device registered with, so that each of its resources is described
 * by the model of that version. Called on Leshan's threads; only queues an update (in order with the registration's
 * own, ahead of the values that observe brings).
 */
public final class ObjectVersionRecorder implements RegistrationListener {

    private final WorldWriter writer;

    public ObjectVersionRecorder(WorldWriter writer) {
        this.writer = writer;
    }

    @Override
    public void registered(Registration registration, Registration previous, Collection<Observation> previousObservations) {
        record(registration);
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
        if (update.getObjectLinks() != null) {
            record(updated);
        }
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration newReg) {
        // the device keeps its object versions: its last values stay described as they were
    }

    private void record(Registration registration) {
        Map<Integer, String> versions = registration.getSupportedObject();
        writer.submit(new DeviceObjects(registration.getEndpoint(), versions == null ? Map.of() : versions));
    }
}
