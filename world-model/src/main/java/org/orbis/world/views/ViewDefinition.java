package org.orbis.world.views;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A named query whose result Orbis keeps current.
 *
 * @param revision 1 when defined, one more each time its query changes
 * @param evaluatedRevision the revision whose result the membership holds; lower while it is being recomputed
 * @param evaluatedSequence the feed sequence at which that revision was computed (its membership log starts there)
 */
public record ViewDefinition(String name, String query, String description, long revision, long evaluatedRevision,
        long evaluatedSequence, Instant createdAt, Instant updatedAt) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}");

    public boolean ready() {
        return evaluatedRevision == revision;
    }

    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("view name '" + name + "' is not valid: use 1 to 128 letters, digits, "
                    + ". _ : or -, starting with a letter or digit");
        }
        return name;
    }
}
