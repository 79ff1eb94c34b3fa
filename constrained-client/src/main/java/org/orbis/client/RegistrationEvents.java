package org.orbis.client;

import java.util.List;

import org.eclipse.leshan.client.observer.LwM2mClientObserverAdapter;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.request.BootstrapRequest;
import org.eclipse.leshan.core.request.DeregisterRequest;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.leshan.core.request.UpdateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Leshan's client observer callbacks into one log line per event (with the endpoint) and
 * {@link ClientEventListener} calls, and wakes threads waiting for a registration state change.
 */
final class RegistrationEvents extends LwM2mClientObserverAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceClient.class);

    private final String endpoint;
    private final List<ClientEventListener> listeners;
    private final Runnable stateChanged;
    private final Runnable uplink;

    /**
     * @param uplink runs just before every registration or update is sent: the device wakes up to talk to its server,
     *        and must already be listening when the server answers and sends what it queued
     */
    RegistrationEvents(String endpoint, List<ClientEventListener> listeners, Runnable stateChanged, Runnable uplink) {
        this.endpoint = endpoint;
        this.listeners = listeners;
        this.stateChanged = stateChanged;
        this.uplink = uplink;
    }

    @Override
    public void onUpdateStarted(ServerIdentity server, UpdateRequest request) {
        uplink.run();
    }

    @Override
    public void onRegistrationStarted(ServerIdentity server, RegisterRequest request) {
        uplink.run();
    }

    @Override
    public void onBootstrapSuccess(ServerIdentity bsserver, BootstrapRequest request) {
        LOG.info("{} bootstrapped by {}", endpoint, bsserver.getUri());
        listeners.forEach(l -> l.onBootstrapped(bsserver.getUri()));
    }

    @Override
    public void onBootstrapFailure(ServerIdentity bsserver, BootstrapRequest request, ResponseCode code,
            String message, Exception cause) {
        bootstrapFailed(bsserver, describe(code, message, cause));
    }

    @Override
    public void onBootstrapTimeout(ServerIdentity bsserver, BootstrapRequest request) {
        bootstrapFailed(bsserver, "timeout");
    }

    @Override
    public void onRegistrationSuccess(ServerIdentity server, RegisterRequest request, String registrationID) {
        LOG.info("{} registered to {} (registration id {})", endpoint, server.getUri(), registrationID);
        stateChanged.run();
        listeners.forEach(l -> l.onRegistered(server.getUri(), registrationID));
    }

    @Override
    public void onRegistrationFailure(ServerIdentity server, RegisterRequest request, ResponseCode code,
            String message, Exception cause) {
        registrationFailed(server, describe(code, message, cause));
    }

    @Override
    public void onRegistrationTimeout(ServerIdentity server, RegisterRequest request) {
        registrationFailed(server, "timeout");
    }

    @Override
    public void onUpdateFailure(ServerIdentity server, UpdateRequest request, ResponseCode code, String message,
            Exception cause) {
        LOG.warn("{} could not update its registration to {}: {}; registering again", endpoint, server.getUri(),
                describe(code, message, cause));
        stateChanged.run();
    }

    @Override
    public void onUpdateTimeout(ServerIdentity server, UpdateRequest request) {
        LOG.warn("{} got no answer to its registration update from {}; registering again", endpoint, server.getUri());
        stateChanged.run();
    }

    @Override
    public void onDeregistrationSuccess(ServerIdentity server, DeregisterRequest request) {
        deregistered(server, true, "acknowledged");
    }

    @Override
    public void onDeregistrationFailure(ServerIdentity server, DeregisterRequest request, ResponseCode code,
            String message, Exception cause) {
        deregistered(server, false, "not acknowledged: " + describe(code, message, cause));
    }

    @Override
    public void onDeregistrationTimeout(ServerIdentity server, DeregisterRequest request) {
        deregistered(server, false, "not acknowledged: timeout");
    }

    @Override
    public void onUnexpectedError(Throwable unexpectedError) {
        LOG.error("{}: unexpected error in the LwM2M client, which Leshan now destroys", endpoint, unexpectedError);
        stateChanged.run();
    }

    private void bootstrapFailed(ServerIdentity bsserver, String reason) {
        LOG.warn("{} bootstrap with {} failed: {}", endpoint, bsserver.getUri(), reason);
        listeners.forEach(l -> l.onBootstrapFailed(bsserver.getUri(), reason));
    }

    private void registrationFailed(ServerIdentity server, String reason) {
        LOG.warn("{} registration to {} failed: {}", endpoint, server.getUri(), reason);
        stateChanged.run();
        listeners.forEach(l -> l.onRegistrationFailed(server.getUri(), reason));
    }

    private void deregistered(ServerIdentity server, boolean acknowledged, String outcome) {
        LOG.info("{} deregistered from {} ({})", endpoint, server.getUri(), outcome);
        stateChanged.run();
        listeners.forEach(l -> l.onDeregistered(server.getUri(), acknowledged));
    }

    /** A one-line reason: the response code and message, or the innermost exception message. */
    static String describe(ResponseCode code, String message, Throwable cause) {
        if (code != null) {
            return message == null || message.isBlank() ? code.toString() : code + " " + message;
        }
        if (cause == null) {
            return message == null ? "unknown error" : message;
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? cause.getMessage() : root.getMessage();
        return root.getClass().getSimpleName() + (text == null ? "" : ": " + text);
    }
}
