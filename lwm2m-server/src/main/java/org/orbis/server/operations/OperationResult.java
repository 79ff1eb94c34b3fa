package org.orbis.server.operations;

import java.util.List;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/**
 * What became of an operation sent to a device.
 *
 * @param code the device's CoAP response code name (e.g. {@code CONTENT}, {@code NOT_FOUND}), or {@code null} if it
 *        never answered
 * @param message the device's or the transport's error message, or {@code null}
 * @param values the values read, or written, at the path
 * @param links the CoRE links a Discover answered (with their attributes), empty otherwise
 */
public record OperationResult(String endpoint, String path, Outcome outcome, String code, String message,
        List<ReportedValue> values, List<String> links) {

    public OperationResult {
        values = List.copyOf(values);
        links = links == null ? List.of() : List.copyOf(links);
    }

    public OperationResult(String endpoint, String path, Outcome outcome, String code, String message,
            List<ReportedValue> values) {
        this(endpoint, path, outcome, code, message, values, List.of());
    }

    public enum Outcome {
        /** The device accepted the request. */
        SUCCESS,
        /** The device answered with an error code. */
        DEVICE_ERROR,
        /** The device did not answer in time. */
        TIMEOUT,
        /** The device is in queue mode and asleep. */
        SLEEPING,
        /** The request could not be sent or its answer could not be decoded. */
        FAILED
    }

    public boolean isSuccess() {
        return outcome == Outcome.SUCCESS;
    }
}
