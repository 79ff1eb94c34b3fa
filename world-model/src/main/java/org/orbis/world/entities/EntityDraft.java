package org.orbis.world.entities;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.orbis.world.graph.NodeKey;

/**
 * What an operator says an entity is: its key, an optional display label and text attributes. Validated on
 * construction; {@link IllegalArgumentException} messages say what to fix.
 */
public record EntityDraft(NodeKey key, String label, Map<String, String> attributes) {

    public static final int MAX_ATTRIBUTES = 64;
    public static final int MAX_LABEL = 256;
    public static final int MAX_ATTRIBUTE_VALUE = 1024;
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]{0,63}");

    public EntityDraft {
        Objects.requireNonNull(key, "key");
        if (!key.isEntity()) {
            throw new IllegalArgumentException("'" + key + "' is a device key; entities use <kind>/<id> keys");
        }
        NodeKey.entity(key.value());
        if (label != null && label.length() > MAX_LABEL) {
            throw new IllegalArgumentException("label of '" + key + "' is longer than " + MAX_LABEL + " characters");
        }
        attributes = attributes == null ? Map.of() : new TreeMap<>(attributes);
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("'" + key + "' has " + attributes.size() + " attributes; at most "
                    + MAX_ATTRIBUTES + " are allowed");
        }
        attributes.forEach((name, value) -> {
            if (name == null || !ATTRIBUTE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("attribute name '" + name + "' of '" + key
                        + "' is not valid: use 1 to 64 letters, digits, _ . or -, starting with a letter");
            }
            if (value == null || value.length() > MAX_ATTRIBUTE_VALUE) {
                throw new IllegalArgumentException("attribute '" + name + "' of '" + key + "' must be a text of at most "
                        + MAX_ATTRIBUTE_VALUE + " characters");
            }
        });
        attributes = java.util.Collections.unmodifiableMap(attributes);
    }

    public static EntityDraft of(String key, String label, Map<String, String> attributes) {
        return new EntityDraft(NodeKey.entity(key), label, attributes);
    }
}
