package org.orbis.server.operations;

/** An operation was refused before anything was sent to the device; the message says why. */
public class OperationException extends RuntimeException {

    public enum Reason {
        /** The device is not registered now. */
        NOT_REGISTERED,
        /** The path or value is not valid for this device's object model. */
        INVALID_REQUEST
    }

    private final Reason reason;

    public OperationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
