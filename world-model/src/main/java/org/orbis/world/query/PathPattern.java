package org.orbis.world.query;

/**
 * An LwM2M path pattern across devices: {@code endpoint/object/instance/resource[/resourceInstance]}, each segment
 * a literal or {@code *}; the endpoint segment may also be a glob such as {@code sensor-*}. A four-segment pattern
 * also matches the resource instances under the resources it matches. A leading {@code /} is allowed.
 *
 * @param endpoint literal, glob or {@code null} for any
 * @param objectId, instanceId, resourceId, resourceInstanceId {@code null} for any
 */
public record PathPattern(String endpoint, Integer objectId, Integer instanceId, Integer resourceId,
        Integer resourceInstanceId, boolean exactDepth) {

    public static PathPattern parse(String text) {
        String trimmed = text.startsWith("/") ? text.substring(1) : text;
        String[] parts = trimmed.split("/", -1);
        if (parts.length < 4 || parts.length > 5) {
            throw new QueryException("path pattern '" + text + "' must be endpoint/object/instance/resource"
                    + "[/resourceInstance] with * for any segment, e.g. */3303/*/5700");
        }
        String endpoint = parts[0].equals("*") ? null : parts[0];
        if (endpoint != null && !endpoint.replace("*", "x").matches("[A-Za-z0-9._:@+\\-]{1,128}")) {
            throw new QueryException("path pattern '" + text + "': endpoint segment '" + parts[0]
                    + "' may hold letters, digits, . _ : @ + - and * only");
        }
        return new PathPattern(endpoint, id(parts[1], text), id(parts[2], text), id(parts[3], text),
                parts.length == 5 ? id(parts[4], text) : null, parts.length == 5);
    }

    /** Whether the resource at {@code path} of device {@code endpoint} matches this pattern. */
    public boolean matches(String endpoint, org.orbis.world.graph.ResourcePath path) {
        if (this.endpoint != null && !endpoint.matches(java.util.regex.Pattern.quote(this.endpoint).replace("*", "\\E.*\\Q"))) {
            return false;
        }
        if (exactDepth && !path.isResourceInstance()) {
            return false;
        }
        return (objectId == null || objectId == path.objectId()) && (instanceId == null || instanceId == path.instanceId())
                && (resourceId == null || resourceId == path.resourceId())
                && (resourceInstanceId == null || resourceInstanceId.equals(path.resourceInstanceId()));
    }

    public boolean endpointIsGlob() {
        return endpoint != null && endpoint.contains("*");
    }

    private static Integer id(String segment, String text) {
        if (segment.equals("*")) {
            return null;
        }
        try {
            int id = Integer.parseInt(segment);
            if (id < 0 || id > 65535) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new QueryException("path pattern '" + text + "': '" + segment + "' is neither * nor an id 0..65535");
        }
    }

    @Override
    public String toString() {
        String text = (endpoint == null ? "*" : endpoint) + "/" + segment(objectId) + "/" + segment(instanceId) + "/"
                + segment(resourceId);
        return exactDepth ? text + "/" + segment(resourceInstanceId) : text;
    }

    private static String segment(Integer id) {
        return id == null ? "*" : id.toString();
    }
}
