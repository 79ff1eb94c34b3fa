package org.orbis.world.graph;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The human-readable, stable key of a graph node, e.g. {@code device/dev-1}, {@code device/dev-1/3303/0} or
 * {@code device/dev-1/3303/0/5700}.
 */
public record NodeKey(String value) {

    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9._:@+\\-]{1,128}");

    public NodeKey {
        Objects.requireNonNull(value, "node key");
    }

    public static NodeKey device(String endpoint) {
        return new NodeKey("device/" + requireValidEndpoint(endpoint));
    }

    public static NodeKey instance(String endpoint, int objectId, int instanceId) {
        return new NodeKey(device(endpoint).value + "/" + objectId + "/" + instanceId);
    }

    public static NodeKey resource(String endpoint, ResourcePath path) {
        String key = instance(endpoint, path.objectId(), path.instanceId()).value + "/" + path.resourceId();
        return new NodeKey(path.isResourceInstance() ? key + "/" + path.resourceInstanceId() : key);
    }

    /**
     * Endpoint names become part of graph keys and URLs, so they are limited to letters, digits and {@code . _ : @ + -}
     * (enough for {@code urn:imei:…} and {@code urn:uuid:…} names), 1 to 128 characters.
     */
    public static boolean isValidEndpoint(String endpoint) {
        return endpoint != null && ENDPOINT.matcher(endpoint).matches();
    }

    public static String requireValidEndpoint(String endpoint) {
        if (!isValidEndpoint(endpoint)) {
            throw new IllegalArgumentException("endpoint name '" + endpoint
                    + "' is not valid: use 1 to 128 letters, digits or . _ : @ + -");
        }
        return endpoint;
    }

    @Override
    public String toString() {
        return value;
    }
}
