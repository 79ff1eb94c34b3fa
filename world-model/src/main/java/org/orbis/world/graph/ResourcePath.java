package org.orbis.world.graph;

import java.util.Objects;

/**
 * The LwM2M path of a resource or resource instance: {@code /object/instance/resource[/resourceInstance]}.
 *
 * @param resourceInstanceId {@code null} for a single-instance resource
 */
public record ResourcePath(int objectId, int instanceId, int resourceId, Integer resourceInstanceId) {

    public ResourcePath {
        requireId(objectId, "object id");
        requireId(instanceId, "instance id");
        requireId(resourceId, "resource id");
        if (resourceInstanceId != null) {
            requireId(resourceInstanceId, "resource instance id");
        }
    }

    public static ResourcePath of(int objectId, int instanceId, int resourceId) {
        return new ResourcePath(objectId, instanceId, resourceId, null);
    }

    public static ResourcePath of(int objectId, int instanceId, int resourceId, int resourceInstanceId) {
        return new ResourcePath(objectId, instanceId, resourceId, resourceInstanceId);
    }

    /** Parses {@code /3303/0/5700} or {@code /4/0/4/1}; throws {@link IllegalArgumentException} with the reason. */
    public static ResourcePath parse(String text) {
        Objects.requireNonNull(text, "path");
        String trimmed = text.startsWith("/") ? text.substring(1) : text;
        String[] parts = trimmed.split("/", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a resource path: expected /object/instance/resource[/resourceInstance]");
        }
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a resource path: '" + parts[i] + "' is not a number");
            }
        }
        return new ResourcePath(ids[0], ids[1], ids[2], ids.length == 4 ? ids[3] : null);
    }

    public boolean isResourceInstance() {
        return resourceInstanceId != null;
    }

    /** The path of the single-instance resource that owns this resource instance (or this path itself). */
    public ResourcePath resource() {
        return isResourceInstance() ? of(objectId, instanceId, resourceId) : this;
    }

    @Override
    public String toString() {
        String base = "/" + objectId + "/" + instanceId + "/" + resourceId;
        return isResourceInstance() ? base + "/" + resourceInstanceId : base;
    }

    private static void requireId(int id, String what) {
        if (id < 0 || id > 65535) {
            throw new IllegalArgumentException(what + " " + id + " is outside 0..65535");
        }
    }
}
