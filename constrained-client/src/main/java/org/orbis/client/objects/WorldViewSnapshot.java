package org.orbis.client.objects;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A copy of a view a device holds in one World View instance.
 *
 * @param sequence the change-feed sequence the server says this copy reflects
 * @param truncated whether the view had more entries than the device can hold
 */
public record WorldViewSnapshot(int instance, String name, long sequence, boolean truncated, List<Entry> entries) {

    public WorldViewSnapshot {
        entries = List.copyOf(entries);
    }

    /**
     * One entry of the view.
     *
     * @param type the LwM2M data type: 0 Integer, 1 Unsigned, 2 Float, 3 Boolean, 4 String, 5 Opaque, 6 Time, 7 Objlnk,
     *        8 Corelnk
     * @param numeric the value as a number for numeric and boolean entries, else {@code null}
     */
    public record Entry(String key, String value, int type, Instant timestamp, Double numeric) {
    }

    /** Entry values by key. */
    public Map<String, String> values() {
        return entries.stream().collect(Collectors.toMap(Entry::key, Entry::value, (a, b) -> b, java.util.TreeMap::new));
    }

    public Optional<Entry> entry(String key) {
        return entries.stream().filter(entry -> entry.key().equals(key)).findFirst();
    }

    /** One line per entry, for people. */
    public String describe() {
        StringBuilder out = new StringBuilder("view '").append(name).append("' (instance ").append(instance)
                .append(", sequence ").append(sequence).append(truncated ? ", truncated" : "").append("): ")
                .append(entries.size()).append(entries.size() == 1 ? " entry" : " entries");
        for (Entry entry : entries) {
            out.append(System.lineSeparator()).append("  ").append(entry.key()).append(" = ").append(entry.value());
        }
        return out.toString();
    }
}
