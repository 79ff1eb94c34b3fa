package org.orbis.world.graph;

import java.time.Instant;

/**
 * One committed change of the world model, as readers of the change feed see it. {@code sequence} is strictly
 * increasing in commit order across the whole world, so a reader resumes by asking for everything after the last
 * sequence it saw.
 *
 * @param path set for changes of one resource ({@link Kind#VALUE}, {@link Kind#DESIRED})
 * @param value the new reported value ({@link Kind#VALUE}) or desired value ({@link Kind#DESIRED})
 * @param revision the resource's revision ({@link Kind#VALUE}) or the desired value's revision ({@link Kind#DESIRED})
 * @param state set for {@link Kind#DEVICE} changes
 * @param detail kind-specific facts as a JSON object (e.g. a command's id and status), or {@code null}
 * @param subject the node an {@link Kind#ENTITY} or {@link Kind#EDGE} change is about (for an edge: its source);
 *     {@code null} for the other kinds, whose node follows from endpoint and path
 */
public record ChangeEvent(long sequence, Instant committedAt, Kind kind, String endpoint, ResourcePath path,
        TypedValue value, Long revision, Instant deviceTime, Instant serverTime, DeviceState state, String detail,
        NodeKey subject) {

    public enum Kind {
        /** A reported resource value changed. */
        VALUE,
        /** A device's registration state changed. */
        DEVICE,
        /** A desired value was set, cleared, or came in or out of sync with the reported one. */
        DESIRED,
        /** A command aimed at a device changed status. */
        COMMAND,
        /** An operator entity was created, updated or deleted ({@code detail.op}). */
        ENTITY,
        /** An edge was created or deleted ({@code detail.op}, {@code detail.from}, {@code detail.kind}, {@code detail.to}). */
        EDGE,
        /** A device's firmware update in a campaign changed state ({@code detail}: campaign, state, progress). */
        FIRMWARE
    }

    /** A change not yet committed: sequence and commit time are filled in by the feed transaction. */
    public static ChangeEvent draft(Kind kind, String endpoint, ResourcePath path, TypedValue value, Long revision,
            Instant deviceTime, Instant serverTime, DeviceState state, String detail) {
        return new ChangeEvent(0, null, kind, endpoint, path, value, revision, deviceTime, serverTime, state, detail,
                null);
    }

    /**
     * A draft change of the graph's structure (an entity or an edge).
     *
     * @param endpoint the device concerned, if the subject is a device, else {@code null}
     */
    public static ChangeEvent graphDraft(Kind kind, NodeKey subject, String endpoint, Long revision, String detail) {
        return new ChangeEvent(0, null, kind, endpoint, null, null, revision, null, null, null, detail, subject);
    }

    public ChangeEvent committed(long sequence, Instant committedAt) {
        return new ChangeEvent(sequence, committedAt, kind, endpoint, path, value, revision, deviceTime, serverTime,
                state, detail, subject);
    }

    /** The node the change is about: the resource for resource changes, else the device. */
    public NodeKey key() {
        if (subject != null) {
            return subject;
        }
        return path != null ? NodeKey.resource(endpoint, path) : NodeKey.device(endpoint);
    }
}
