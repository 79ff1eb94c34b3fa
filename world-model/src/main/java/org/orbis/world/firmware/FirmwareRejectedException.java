package org.orbis.world.firmware;

/** An upload or a deletion of a firmware image was refused; nothing was stored or removed. */
public class FirmwareRejectedException extends RuntimeException {

    public enum Reason {
        /** The package is larger than the limit. */
        TOO_LARGE,
        /** The bytes received do not have the SHA-256 the uploader gave, or their header contradicts the upload. */
        MISMATCH,
        /** An image of this model and version exists already. */
        DUPLICATE,
        /** The package is empty. */
        EMPTY,
        /** The image is used by a campaign that has not finished. */
        IN_USE
    }

    private final Reason reason;

    public FirmwareRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
