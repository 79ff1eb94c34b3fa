package org.orbis.world.entities;

import java.util.List;
import java.util.Map;

/**
 * A bulk import: entities to create or update and edges to add, applied together in one transaction. Items carry the
 * caller's description of where they came from ({@code where}, e.g. {@code "edges[4] (line 23)"}) so that problems
 * can point at them. Fields are raw text; the store validates them.
 */
public record GraphImport(List<EntityItem> entities, List<EdgeItem> edges) {

    public GraphImport {
        entities = entities == null ? List.of() : List.copyOf(entities);
        edges = edges == null ? List.of() : List.copyOf(edges);
    }

    public record EntityItem(String where, String key, String label, Map<String, String> attributes) {
    }

    /** @param exclusive remove the other edges of this kind from {@code from} (a move rather than an addition) */
    public record EdgeItem(String where, String from, String kind, String to, boolean exclusive) {
    }

    /** One thing wrong with an import, and where. */
    public record Problem(String where, String detail) {
    }

    /** What an applied import changed; sequences are 0 when it changed nothing. */
    public record Summary(int entitiesCreated, int entitiesUpdated, int entitiesUnchanged, int edgesCreated,
            int edgesUnchanged, int edgesRemoved, long firstSequence, long lastSequence) {
    }

    /** The import was refused as a whole: nothing changed. */
    public static final class RejectedException extends RuntimeException {

        private final List<Problem> problems;

        public RejectedException(List<Problem> problems) {
            super(problems.size() + " problem(s) in the import, nothing was changed; first: " + problems.get(0).where()
                    + ": " + problems.get(0).detail());
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }
}
