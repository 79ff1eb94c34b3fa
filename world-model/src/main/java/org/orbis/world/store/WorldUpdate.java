package org.orbis.world.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.Registration;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;

/** One change to apply to the world model; many are committed together in one transaction. */
public sealed interface WorldUpdate {

    String endpoint();

    /** Databases keep microseconds; truncating up front makes what is read back equal what was written. */
    static Instant storable(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** A device reported (or was written) a resource value. */
    record ReportedValue(String endpoint, ResourcePath path, TypedValue value, Instant deviceTime, Instant receivedAt)
            implements WorldUpdate {
        public ReportedValue {
            NodeKey.requireValidEndpoint(endpoint);
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(receivedAt, "receivedAt");
            deviceTime = storable(deviceTime);
            receivedAt = storable(receivedAt);
        }
    }

    /**
     * A device's registration state changed.
     *
     * @param registration the new registration on register/update, {@code null} when only the state changes
     */
    record DeviceStateChange(String endpoint, DeviceState state, Registration registration, Instant at)
            implements WorldUpdate {
        public DeviceStateChange {
            NodeKey.requireValidEndpoint(endpoint);
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(at, "at");
            at = storable(at);
        }
    }

    /**
     * The object versions a device declared when it registered (object id → version such as {@code "1.1"}); they
     * select the object model that describes each of its resources. Replaces what the device declared before.
     */
    record DeviceObjects(String endpoint, java.util.Map<Integer, String> versions) implements WorldUpdate {
        public DeviceObjects {
            NodeKey.requireValidEndpoint(endpoint);
            versions = java.util.Map.copyOf(versions);
        }
    }
}
