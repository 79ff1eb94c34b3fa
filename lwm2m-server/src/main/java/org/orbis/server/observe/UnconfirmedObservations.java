package org.orbis.server.observe;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.response.ObserveCompositeResponse;
import org.eclipse.leshan.core.response.ObserveResponse;
import org.eclipse.leshan.server.observation.ObservationListener;
import org.eclipse.leshan.server.registration.Registration;

/**
 * Registrations whose observations may be missing: after a restart without the DTLS connections (a crash), a device
 * whose confirmable notifications went unanswered for too long cancels its observe relations; and an observe request
 * can time out when the device or the server is overloaded. Such a registration is unconfirmed until a notification
 * proves its relations alive; if the device's next Update comes first, {@link ObservationStarter} observes its objects
 * again. Lock-free; called on Californium's threads.
 */
public final class UnconfirmedObservations implements ObservationListener {

    private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Registrations with an observe request that failed: not confirmed by notifications of other observations. */
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    public void markAll(Collection<String> registrationIds) {
        unconfirmed.addAll(registrationIds);
    }

    /** An observe request of this registration failed; observe again at its next Update whatever arrives meanwhile. */
    public void markFailed(String registrationId) {
        failed.add(registrationId);
    }

    /** Whether the registration was unconfirmed or had a failed observe request; it is not any more after this call. */
    public boolean take(String registrationId) {
        boolean suspect = !unconfirmed.isEmpty() && unconfirmed.remove(registrationId);
        boolean hadFailure = !failed.isEmpty() && failed.remove(registrationId);
        return suspect || hadFailure;
    }

    public int size() {
        return unconfirmed.size() + failed.size();
    }

    @Override
    public void onResponse(SingleObservation observation, Registration registration, ObserveResponse response) {
        confirm(registration);
    }

    @Override
    public void onResponse(CompositeObservation observation, Registration registration,
            ObserveCompositeResponse response) {
        confirm(registration);
    }

    private void confirm(Registration registration) {
        if (!unconfirmed.isEmpty()) {
            unconfirmed.remove(registration.getId());
        }
    }

    @Override
    public void onError(Observation observation, Registration registration, Exception error) {
    }

    @Override
    public void newObservation(Observation observation, Registration registration) {
    }

    @Override
    public void cancelled(Observation observation) {
    }
}
