package org.orbis.world.graph;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed, directed edge between two nodes: {@code device/s1 -in-> zone/hq/floor-2},
 * {@code zone/hq/floor-2 -partOf-> site/hq}. Edges are data: any kind the operator names.
 */
public record Edge(NodeKey from, String kind, NodeKey to, Instant createdAt) {

    private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9_\\-]{0,63}");

    public Edge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        requireValidKind(kind);
    }

    /** Edge kinds are 1 to 64 letters, digits, _ or -, starting with a letter: {@code in}, {@code partOf}, … */
    public static String requireValidKind(String kind) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("edge kind '" + kind + "' is not valid: use 1 to 64 letters, digits, "
                    + "_ or -, starting with a letter (e.g. in, partOf, controls, feeds)");
        }
        return kind;
    }

    @Override
    public String toString() {
        return from + " -" + kind + "-> " + to;
    }
}
