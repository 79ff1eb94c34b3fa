package org.orbis.world.entities;

/** A graph mutation was refused; {@link #reason()} tells the API which status to answer. */
public class GraphException extends RuntimeException {

    public enum Reason {
        /** The named entity, edge or node does not exist. */
        NOT_FOUND,
        /** The caller's expected revision is not the current one: someone else changed it first. */
        REVISION_CONFLICT,
        /** The request itself is wrong (bad key, bad kind, self-edge, …). */
        INVALID
    }

    private final Reason reason;

    public GraphException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
