package org.orbis.world.entities;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orbis.world.entities.GraphException.Reason;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.Edge;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.FeedTransaction;
import org.orbis.world.store.JsonText;

/**
 * The graph mutations, each inside the caller's {@link FeedTransaction}: the feed lock serialises them with every
 * other writer, so read-then-write of revisions cannot lose an update, and each mutation appends its change event.
 */
final class GraphWrites {

    /** What {@link #putEntity} did. */
    enum Outcome { CREATED, UPDATED, UNCHANGED }

    record PutResult(Entity entity, Outcome outcome) {
    }

    private final FeedTransaction feed;
    private final Connection connection;
    private final Instant now;

    GraphWrites(FeedTransaction feed) {
        this.feed = feed;
        this.connection = feed.connection();
        this.now = feed.now();
    }

    /**
     * Creates or updates an entity.
     *
     * @param expectedRevision {@code null} to write whatever is there, 0 to create only, n to update only revision n
     */
    PutResult putEntity(EntityDraft draft, Long expectedRevision) throws SQLException {
        Optional<Entity> existing = EntityRows.entity(connection, draft.key());
        if (existing.isEmpty()) {
            if (expectedRevision != null && expectedRevision != 0) {
                throw new GraphException(Reason.NOT_FOUND, "entity '" + draft.key() + "' does not exist (expected revision "
                        + expectedRevision + ")");
            }
            EntityRows.update(connection, "INSERT INTO node (node_key, kind, entity_kind, label, revision, created_at, "
                    + "updated_at) VALUES (?, 'entity', ?, ?, 1, ?, ?)", draft.key().value(), draft.key().entityKind(),
                    draft.label(), now, now);
            writeAttributes(draft.key(), draft.attributes());
            Entity created = new Entity(draft.key(), draft.key().entityKind(), draft.label(), draft.attributes(), 1, now, now);
            feed.append(entityEvent("created", created));
            return new PutResult(created, Outcome.CREATED);
        }
        Entity before = existing.get();
        if (expectedRevision != null && expectedRevision != before.revision()) {
            throw new GraphException(Reason.REVISION_CONFLICT, "entity '" + draft.key() + "' is at revision "
                    + before.revision() + ", not " + (expectedRevision == 0 ? "absent" : expectedRevision)
                    + ": someone changed it first; read it again and retry");
        }
        if (java.util.Objects.equals(before.label(), draft.label()) && before.attributes().equals(draft.attributes())) {
            return new PutResult(before, Outcome.UNCHANGED);
        }
        long revision = before.revision() + 1;
        EntityRows.update(connection, "UPDATE node SET label = ?, revision = ?, updated_at = ? WHERE node_key = ?",
                draft.label(), revision, now, draft.key().value());
        EntityRows.update(connection, "DELETE FROM node_attribute WHERE node_key = ?", draft.key().value());
        writeAttributes(draft.key(), draft.attributes());
        Entity updated = new Entity(draft.key(), before.kind(), draft.label(), draft.attributes(), revision,
                before.createdAt(), now);
        feed.append(entityEvent("updated", updated));
        return new PutResult(updated, Outcome.UPDATED);
    }

    /** Deletes an entity and every edge from or to it, each with its own change event. */
    Entity deleteEntity(NodeKey key, Long expectedRevision) throws SQLException {
        Entity before = EntityRows.entity(connection, key).orElseThrow(() -> new GraphException(Reason.NOT_FOUND,
                "entity '" + key + "' does not exist"));
        if (expectedRevision != null && expectedRevision != before.revision()) {
            throw new GraphException(Reason.REVISION_CONFLICT, "entity '" + key + "' is at revision " + before.revision()
                    + ", not " + expectedRevision + ": someone changed it first; read it again and retry");
        }
        for (Edge edge : EntityRows.edges(connection, "from_key = ? OR to_key = ? ORDER BY from_key, kind, to_key",
                List.of(key.value(), key.value()))) {
            removeEdge(edge.from(), edge.kind(), edge.to());
        }
        EntityRows.update(connection, "DELETE FROM node_attribute WHERE node_key = ?", key.value());
        EntityRows.update(connection, "DELETE FROM node WHERE node_key = ?", key.value());
        Entity deleted = new Entity(key, before.kind(), before.label(), before.attributes(), before.revision() + 1,
                before.createdAt(), now);
        feed.append(entityEvent("deleted", deleted));
        return deleted;
    }

    /**
     * Adds an edge between two existing nodes; returns {@code false} if it already existed.
     *
     * @param exclusive also remove every other edge of this kind from {@code from} (moving a device between zones)
     */
    boolean addEdge(NodeKey from, String kind, NodeKey to, boolean exclusive) throws SQLException {
        Edge.requireValidKind(kind);
        if (from.equals(to)) {
            throw new GraphException(Reason.INVALID, "an edge needs two different nodes; both ends are '" + from + "'");
        }
        Map<String, String> existing = EntityRows.existingNodes(connection, List.of(from.value(), to.value()));
        for (NodeKey end : List.of(from, to)) {
            if (!existing.containsKey(end.value())) {
                throw new GraphException(Reason.NOT_FOUND, missingNode(end));
            }
        }
        boolean present = false;
        for (Edge edge : EntityRows.edges(connection, "from_key = ? AND kind = ?", List.of(from.value(), kind))) {
            if (edge.to().equals(to)) {
                present = true;
            } else if (exclusive) {
                removeEdge(edge.from(), edge.kind(), edge.to());
            }
        }
        if (present) {
            return false;
        }
        EntityRows.update(connection, "INSERT INTO edge (from_key, kind, to_key, created_at) VALUES (?, ?, ?, ?)",
                from.value(), kind, to.value(), now);
        feed.append(edgeEvent("created", from, kind, to));
        return true;
    }

    /** Removes an edge; returns {@code false} if there was none. */
    boolean removeEdge(NodeKey from, String kind, NodeKey to) throws SQLException {
        int removed = EntityRows.update(connection, "DELETE FROM edge WHERE from_key = ? AND kind = ? AND to_key = ?",
                from.value(), kind, to.value());
        if (removed == 0) {
            return false;
        }
        feed.append(edgeEvent("deleted", from, kind, to));
        return true;
    }

    static String missingNode(NodeKey key) {
        return key.isUnderDevice() ? "no node '" + key + "': provision the device (POST /api/devices) first"
                : "no entity '" + key + "': create it first (or in the same import)";
    }

    private void writeAttributes(NodeKey key, Map<String, String> attributes) throws SQLException {
        if (attributes.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO node_attribute (node_key, name, attr_value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> attribute : attributes.entrySet()) {
                statement.setString(1, key.value());
                statement.setString(2, attribute.getKey());
                statement.setString(3, attribute.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static ChangeEvent entityEvent(String op, Entity entity) {
        String detail = "{\"op\":" + JsonText.quote(op) + ",\"kind\":" + JsonText.quote(entity.kind())
                + (entity.label() == null ? "" : ",\"label\":" + JsonText.quote(entity.label()))
                + ",\"attributes\":" + JsonText.object(entity.attributes()) + "}";
        return ChangeEvent.graphDraft(ChangeEvent.Kind.ENTITY, entity.key(), null, entity.revision(), detail);
    }

    private static ChangeEvent edgeEvent(String op, NodeKey from, String kind, NodeKey to) {
        String detail = "{\"op\":" + JsonText.quote(op) + ",\"from\":" + JsonText.quote(from.value()) + ",\"kind\":"
                + JsonText.quote(kind) + ",\"to\":" + JsonText.quote(to.value()) + "}";
        String endpoint = from.endpoint() != null ? from.endpoint() : to.endpoint();
        return ChangeEvent.graphDraft(ChangeEvent.Kind.EDGE, from, endpoint, null, detail);
    }
}
