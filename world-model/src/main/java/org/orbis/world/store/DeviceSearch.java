package org.orbis.world.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbis.world.graph.DeviceState;

/**
 * A device search as operators type it: words that must all occur in the endpoint name, plus {@code field:value}
 * filters ({@link Field}), sorted and paged. {@code "lamp state:online manufacturer:acme"} finds online devices whose
 * endpoint contains "lamp" and whose Device object's manufacturer contains "acme".
 *
 * @param words text each endpoint must contain (case-insensitive)
 * @param filters more conditions, all of which must hold
 */
public record DeviceSearch(List<String> words, Map<Field, String> filters, Sort sort, boolean descending, int offset,
        int limit) {

    public static final int MAX_LIMIT = 1000;

    /** What a {@code field:value} term filters on. */
    public enum Field {
        /** Device state: online, sleeping, offline, never. */
        STATE,
        /** LwM2M binding of the registration, e.g. U. */
        BINDING,
        /** LwM2M version of the registration, e.g. 1.1. */
        VERSION,
        /** Queue mode of the registration, true or false. */
        QUEUE,
        /** Device object /3/0/0 (Manufacturer) contains. */
        MANUFACTURER,
        /** Device object /3/0/1 (Model Number) contains. */
        MODEL,
        /** Device object /3/0/3 (Firmware Version) contains. */
        FIRMWARE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The order of a listing; ties are broken by endpoint. */
    public enum Sort {
        ENDPOINT("endpoint"),
        STATE("state"),
        LAST_SEEN("last_seen"),
        CREATED_AT("created_at");

        final String column;

        Sort(String column) {
            this.column = column;
        }

        /** {@code endpoint}, {@code state}, {@code lastSeen} or {@code createdAt}. */
        public static Sort fromLabel(String label) {
            for (Sort sort : values()) {
                if (sort.name().replace("_", "").equalsIgnoreCase(label)) {
                    return sort;
                }
            }
            throw new IllegalArgumentException("unknown sort '" + label + "': use endpoint, state, lastSeen or createdAt "
                    + "(prefix '-' for descending)");
        }
    }

    public DeviceSearch {
        words = List.copyOf(words);
        filters = Map.copyOf(filters);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (filters.containsKey(Field.STATE)) {
            DeviceState.fromLabel(filters.get(Field.STATE));
        }
    }

    /**
     * Parses what an operator typed; {@code state} (if not null) is added as a filter, {@code sort} is a
     * {@link Sort} label with an optional leading {@code -}.
     */
    public static DeviceSearch parse(String text, String state, String sort, int offset, int limit) {
        List<String> words = new ArrayList<>();
        Map<Field, String> filters = new LinkedHashMap<>();
        if (text != null) {
            for (String term : text.strip().split("\\s+")) {
                if (term.isEmpty()) {
                    continue;
                }
                int colon = term.indexOf(':');
                if (colon > 0 && colon < term.length() - 1 && isField(term.substring(0, colon))) {
                    filters.put(Field.valueOf(term.substring(0, colon).toUpperCase(Locale.ROOT)),
                            term.substring(colon + 1));
                } else {
                    words.add(term);
                }
            }
        }
        if (state != null && !state.isBlank()) {
            filters.put(Field.STATE, state);
        }
        boolean descending = sort != null && sort.startsWith("-");
        Sort order = sort == null || sort.isBlank() ? Sort.ENDPOINT
                : Sort.fromLabel(descending ? sort.substring(1) : sort);
        return new DeviceSearch(words, filters, order, descending, offset, limit);
    }

    private static boolean isField(String name) {
        for (Field field : Field.values()) {
            if (field.label().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
