package org.orbis.world.entities;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbis.world.entities.GraphException.Reason;
import org.orbis.world.entities.GraphImport.EdgeItem;
import org.orbis.world.entities.GraphImport.EntityItem;
import org.orbis.world.entities.GraphImport.Problem;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.Edge;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.Database;
import org.orbis.world.store.FeedTransaction;
import org.orbis.world.store.WorldStore;

/** Entities and edges: reads, single mutations and all-or-nothing bulk imports. Thread-safe. */
public final class EntityStore {

    public static final int MAX_PAGE = 1000;
    public static final int MAX_IMPORT_ITEMS = 20_000;

    private final WorldStore world;
    private final Database database;

    public EntityStore(WorldStore world) {
        this.world = world;
        this.database = world.database();
    }

    /** Creates or updates an entity (see {@link GraphWrites#putEntity} for {@code expectedRevision}). */
    public Entity put(EntityDraft draft, Long expectedRevision) {
        return world.inFeedTransaction(feed -> new GraphWrites(feed).putEntity(draft, expectedRevision).entity());
    }

    /** Deletes an entity and its edges; every removal is a change event. */
    public Entity delete(NodeKey key, Long expectedRevision) {
        return world.inFeedTransaction(feed -> new GraphWrites(feed).deleteEntity(key, expectedRevision));
    }

    /** Adds an edge; returns {@code false} if it existed already. */
    public boolean link(NodeKey from, String kind, NodeKey to, boolean exclusive) {
        return world.inFeedTransaction(feed -> new GraphWrites(feed).addEdge(from, kind, to, exclusive));
    }

    /** Removes an edge; returns {@code false} if there was none. */
    public boolean unlink(NodeKey from, String kind, NodeKey to) {
        return world.inFeedTransaction(feed -> new GraphWrites(feed).removeEdge(from, kind, to));
    }

    /** The entities among {@code keys}, in no particular order; keys that are no entity are left out. */
    public List<Entity> entities(java.util.Collection<NodeKey> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return database.read(connection -> {
            List<Entity> found = new ArrayList<>();
            for (List<String> chunk : EntityRows.chunks(keys.stream().map(NodeKey::value).toList())) {
                found.addAll(EntityRows.entities(connection, "SELECT " + EntityRows.ENTITY_COLUMNS
                        + " FROM node WHERE kind = 'entity' AND node_key IN (" + EntityRows.placeholders(chunk.size())
                        + ")", new ArrayList<>(chunk)));
            }
            return found;
        });
    }

    public Optional<Entity> entity(NodeKey key) {
        return database.read(connection -> EntityRows.entity(connection, key));
    }

    /**
     * Entities in key order, one page at a time.
     *
     * @param kind only this kind, or {@code null}
     * @param after the last key of the previous page, or {@code null}
     */
    public List<Entity> entities(String kind, String after, int limit) {
        requireLimit(limit);
        StringBuilder sql = new StringBuilder("SELECT " + EntityRows.ENTITY_COLUMNS + " FROM node WHERE kind = 'entity'");
        List<Object> parameters = new ArrayList<>();
        if (kind != null) {
            sql.append(" AND entity_kind = ?");
            parameters.add(kind);
        }
        if (after != null) {
            sql.append(" AND node_key > ?");
            parameters.add(after);
        }
        sql.append(" ORDER BY node_key LIMIT ").append(limit);
        return database.read(connection -> EntityRows.entities(connection, sql.toString(), parameters));
    }

    /**
     * Edges touching a node, or all edges (in key order, paged) when {@code node} is {@code null}.
     *
     * @param kind only this edge kind, or {@code null}
     */
    public List<Edge> edges(NodeKey node, String kind, int limit) {
        requireLimit(limit);
        StringBuilder where = new StringBuilder(node == null ? "1 = 1" : "(from_key = ? OR to_key = ?)");
        List<Object> parameters = new ArrayList<>();
        if (node != null) {
            parameters.add(node.value());
            parameters.add(node.value());
        }
        if (kind != null) {
            where.append(" AND kind = ?");
            parameters.add(kind);
        }
        where.append(" ORDER BY from_key, kind, to_key LIMIT ").append(limit);
        return database.read(connection -> EntityRows.edges(connection, where.toString(), parameters));
    }

    /**
     * Applies a whole import in one transaction, or nothing: every problem found (bad key, unknown node, duplicate)
     * is reported at once, with the item's {@code where}.
     *
     * @throws GraphImport.RejectedException listing the problems; the world is unchanged
     */
    public GraphImport.Summary importGraph(GraphImport graphImport) {
        int size = graphImport.entities().size() + graphImport.edges().size();
        if (size > MAX_IMPORT_ITEMS) {
            throw new GraphImport.RejectedException(List.of(new Problem("import", "it has " + size
                    + " items; at most " + MAX_IMPORT_ITEMS + " are allowed in one import: split it")));
        }
        List<Problem> problems = new ArrayList<>();
        Map<NodeKey, EntityDraft> drafts = new LinkedHashMap<>();
        for (EntityItem item : graphImport.entities()) {
            try {
                EntityDraft draft = EntityDraft.of(item.key(), item.label(), item.attributes());
                if (drafts.putIfAbsent(draft.key(), draft) != null) {
                    problems.add(new Problem(item.where(), "entity '" + item.key() + "' appears twice in the import"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(item.where(), e.getMessage()));
            }
        }
        List<ParsedEdge> edges = new ArrayList<>();
        for (EdgeItem item : graphImport.edges()) {
            try {
                NodeKey from = NodeKey.parse(item.from());
                NodeKey to = NodeKey.parse(item.to());
                Edge.requireValidKind(item.kind());
                if (from.equals(to)) {
                    throw new IllegalArgumentException("an edge needs two different nodes; both ends are '" + from + "'");
                }
                edges.add(new ParsedEdge(item, from, to));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(item.where(), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new GraphImport.RejectedException(problems);
        }
        return world.inFeedTransaction(feed -> apply(feed, drafts, edges));
    }

    private GraphImport.Summary apply(FeedTransaction feed, Map<NodeKey, EntityDraft> drafts, List<ParsedEdge> edges)
            throws SQLException {
        Set<String> referenced = new HashSet<>();
        edges.forEach(edge -> {
            referenced.add(edge.from().value());
            referenced.add(edge.to().value());
        });
        Set<String> existing = EntityRows.existingNodes(feed.connection(), referenced).keySet();
        List<Problem> problems = new ArrayList<>();
        for (ParsedEdge edge : edges) {
            for (NodeKey end : List.of(edge.from(), edge.to())) {
                if (!existing.contains(end.value()) && !drafts.containsKey(end)) {
                    problems.add(new Problem(edge.item().where(), GraphWrites.missingNode(end)));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new GraphImport.RejectedException(problems);
        }
        GraphWrites writes = new GraphWrites(feed);
        int[] entityCounts = new int[3];
        for (EntityDraft draft : drafts.values()) {
            entityCounts[writes.putEntity(draft, null).outcome().ordinal()]++;
        }
        int created = 0;
        int before = countEdgeDeletions(feed);
        for (ParsedEdge edge : edges) {
            if (writes.addEdge(edge.from(), edge.item().kind(), edge.to(), edge.item().exclusive())) {
                created++;
            }
        }
        int removed = countEdgeDeletions(feed) - before;
        List<ChangeEvent> events = feed.appended();
        long first = events.isEmpty() ? 0 : events.get(0).sequence();
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).sequence();
        return new GraphImport.Summary(entityCounts[0], entityCounts[1], entityCounts[2], created,
                edges.size() - created, removed, first, last);
    }

    private static int countEdgeDeletions(FeedTransaction feed) {
        return (int) feed.appended().stream()
                .filter(event -> event.kind() == ChangeEvent.Kind.EDGE && event.detail().startsWith("{\"op\":\"deleted\""))
                .count();
    }

    /** Callers may ask for one row more than a page, to learn whether another page follows. */
    private static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE + 1) {
            throw new GraphException(Reason.INVALID, "limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
    }

    private record ParsedEdge(EdgeItem item, NodeKey from, NodeKey to) {
    }
}
