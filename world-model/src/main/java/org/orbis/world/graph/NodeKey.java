package org.orbis.world.graph;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The human-readable, stable key of a graph node, e.g. {@code device/dev-1}, {@code device/dev-1/3303/0} or
 * {@code device/dev-1/3303/0/5700}, and for operator entities {@code <kind>/<id>} such as {@code site/hq} or
 * {@code zone/hq/floor-2} (the first segment is the entity's kind).
 */
public record NodeKey(String value) {

    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9._:@+\\-]{1,128}");
    private static final Pattern ENTITY_KIND = Pattern.compile("[a-z][A-Za-z0-9_\\-]{0,63}");
    private static final Pattern ENTITY_SEGMENT = Pattern.compile("[A-Za-z0-9._:@+\\-]{1,128}");
    /** Entity keys leave room in the 512-character key column. */
    public static final int MAX_ENTITY_KEY = 400;
    private static final String DEVICE_PREFIX = "device/";

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

    /**
     * The key of an operator entity, validated: {@code <kind>/<id>[/<id>…]}, kind in lower camel case (not
     * {@code device}), each id segment 1 to 128 letters, digits or {@code . _ : @ + -}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static NodeKey entity(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("entity key is missing: use <kind>/<id>, e.g. zone/hq/floor-2");
        }
        if (key.length() > MAX_ENTITY_KEY) {
            throw new IllegalArgumentException("entity key '" + key.substring(0, 40) + "…' is longer than "
                    + MAX_ENTITY_KEY + " characters");
        }
        String[] segments = key.split("/", -1);
        if (segments.length < 2) {
            throw new IllegalArgumentException("entity key '" + key + "' has no id: use <kind>/<id>, e.g. zone/hq/floor-2");
        }
        if (!ENTITY_KIND.matcher(segments[0]).matches()) {
            throw new IllegalArgumentException("entity key '" + key + "': kind '" + segments[0]
                    + "' must start with a lower-case letter and use only letters, digits, _ or - (at most 64)");
        }
        if (segments[0].equals("device")) {
            throw new IllegalArgumentException("entity key '" + key + "': 'device' is reserved for devices (device/<endpoint>)");
        }
        for (int i = 1; i < segments.length; i++) {
            if (!ENTITY_SEGMENT.matcher(segments[i]).matches()) {
                throw new IllegalArgumentException("entity key '" + key + "': segment '" + segments[i]
                        + "' must have 1 to 128 letters, digits or . _ : @ + -");
            }
        }
        return new NodeKey(key);
    }

    /**
     * Any valid node key: a device, one of its instances or resources, or an entity.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static NodeKey parse(String key) {
        if (key != null && key.startsWith(DEVICE_PREFIX)) {
            String[] parts = key.substring(DEVICE_PREFIX.length()).split("/", -1);
            requireValidEndpoint(parts[0]);
            if (parts.length == 1) {
                return device(parts[0]);
            }
            if (parts.length == 3) {
                try {
                    return instance(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + key + "' is not a node key: ids must be numbers");
                }
            }
            String path = key.substring(DEVICE_PREFIX.length() + parts[0].length());
            return resource(parts[0], ResourcePath.parse(path));
        }
        return entity(key);
    }

    public boolean isDevice() {
        return value.startsWith(DEVICE_PREFIX) && value.indexOf('/', DEVICE_PREFIX.length()) < 0;
    }

    /** True for keys of devices and of everything under them. */
    public boolean isUnderDevice() {
        return value.startsWith(DEVICE_PREFIX);
    }

    public boolean isEntity() {
        return !value.startsWith(DEVICE_PREFIX);
    }

    /** The endpoint of a device key or of a key under a device, else {@code null}. */
    public String endpoint() {
        if (!isUnderDevice()) {
            return null;
        }
        int end = value.indexOf('/', DEVICE_PREFIX.length());
        return end < 0 ? value.substring(DEVICE_PREFIX.length()) : value.substring(DEVICE_PREFIX.length(), end);
    }

    /** The kind of an entity key (its first segment), else {@code null}. */
    public String entityKind() {
        int slash = value.indexOf('/');
        return isEntity() && slash > 0 ? value.substring(0, slash) : null;
    }

    @Override
    public String toString() {
        return value;
    }
}
