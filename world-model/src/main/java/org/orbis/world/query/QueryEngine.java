package org.orbis.world.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.orbis.world.entities.EntityStore;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.models.ModelCatalog;
import org.orbis.world.models.ResourceDescription;
import org.orbis.world.query.NodeQuery.Direction;
import org.orbis.world.query.NodeQuery.Traversal;
import org.orbis.world.query.QueryHit.DeviceHit;
import org.orbis.world.query.QueryHit.EntityHit;
import org.orbis.world.query.QueryHit.ResourceHit;
import org.orbis.world.store.Database;
import org.orbis.world.store.Rows;
import org.orbis.world.store.WorldStore;

/**
 * Runs {@link NodeQuery}s against the database. Every page is one indexed SQL statement in key order with keyset
 * paging ({@code node_key > after}), plus a traversal's breadth-first walk over the edge indexes when the query has
 * {@code within}. Thread-safe.
 */
public final class QueryEngine {

    public static final int MAX_LIMIT = 1000;
    /** A traversal that reaches more nodes than this is refused: narrow it with fewer hops or {@code via}. */
    public static final int MAX_REACH = 30_000;
    private static final int IN_CHUNK = 500;
    private static final String RESOURCE_COLUMNS = Arrays.stream(Rows.VALUE_COLUMNS.split(",\\s*"))
            .map(column -> "rv." + column).collect(Collectors.joining(", "));

    private final Database database;
    private final ModelCatalog models;
    private final EntityStore entities;

    public QueryEngine(WorldStore world, ModelCatalog models, EntityStore entities) {
        this.database = world.database();
        this.models = models;
        this.entities = entities;
    }

    /**
     * One page of the query's result.
     *
     * @param after the {@link QueryPage#next()} of the previous page, or {@code null} for the first page
     */
    public QueryPage run(NodeQuery query, String after, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new QueryException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        Set<NodeKey> reach = query.traversal() == null ? null : reach(query.traversal());
        List<QueryHit> hits = query.selectsResources() ? resources(query, reach, after, limit + 1)
                : nodes(query, reach, after, limit + 1);
        String next = null;
        if (hits.size() > limit) {
            hits = hits.subList(0, limit);
            next = hits.get(limit - 1).key().value();
        }
        return new QueryPage(List.copyOf(hits), next);
    }

    /**
     * Every key of the result, in key order. With a restriction, only the result's keys among the restricted ones
     * (used to re-check a few nodes after a change).
     *
     * @param reach the traversal's reach if the caller has it already, else {@code null}
     * @param among only these keys, or {@code null}
     * @param ofDevice only nodes of this device (its resources, or the device node), or {@code null}
     */
    public List<NodeKey> keys(NodeQuery query, Set<NodeKey> reach, Collection<NodeKey> among, String ofDevice) {
        if (query.traversal() != null && reach == null) {
            reach = reach(query.traversal());
        }
        Selection selection = query.selectsResources() ? resourceSelection(query, reach, among)
                : nodeSelection(query, reach, among);
        if (ofDevice != null) {
            if (query.selectsResources()) {
                selection.where("rv.endpoint = ?", ofDevice);
            } else {
                selection.where("n.node_key = ?", NodeKey.device(ofDevice).value());
            }
        }
        return database.read(connection -> {
            List<NodeKey> keys = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(selection.sql("SELECT " + selection.keyColumn()))) {
                selection.bind(statement);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new NodeKey(rs.getString(1)));
                    }
                }
            }
            return keys;
        });
    }

    /** Every node reachable from the traversal's root within its hops (the root itself excluded). */
    public Set<NodeKey> reach(Traversal traversal) {
        return database.read(connection -> {
            if (!exists(connection, traversal.root())) {
                throw new QueryException("no node '" + traversal.root() + "' to start the traversal from");
            }
            Set<String> visited = new LinkedHashSet<>();
            visited.add(traversal.root().value());
            Set<String> frontier = Set.of(traversal.root().value());
            for (int hop = 0; hop < traversal.hops() && !frontier.isEmpty(); hop++) {
                Set<String> next = new LinkedHashSet<>();
                if (traversal.direction() != Direction.INBOUND) {
                    neighbours(connection, "from_key", "to_key", frontier, traversal.via(), next);
                }
                if (traversal.direction() != Direction.OUTBOUND) {
                    neighbours(connection, "to_key", "from_key", frontier, traversal.via(), next);
                }
                next.removeAll(visited);
                visited.addAll(next);
                if (visited.size() > MAX_REACH) {
                    throw new QueryException("the traversal from '" + traversal.root() + "' reaches more than " + MAX_REACH
                            + " nodes; use fewer hops or 'via <edge kinds>'");
                }
                frontier = next;
            }
            visited.remove(traversal.root().value());
            Set<NodeKey> reached = new LinkedHashSet<>();
            visited.forEach(key -> reached.add(new NodeKey(key)));
            return reached;
        });
    }

    private List<QueryHit> resources(NodeQuery query, Set<NodeKey> reach, String after, int limit) {
        Selection selection = resourceSelection(query, reach, null).after("rv.node_key", after).limit(limit);
        List<ResourceValue> values = database.read(connection -> {
            List<ResourceValue> found = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(selection.sql("SELECT " + RESOURCE_COLUMNS))) {
                selection.bind(statement);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.add(Rows.resourceValue(rs));
                    }
                }
            }
            return found;
        });
        Map<NodeKey, ResourceDescription> described = models.describe(values);
        List<QueryHit> hits = new ArrayList<>(values.size());
        values.forEach(value -> hits.add(new ResourceHit(value, described.get(value.key()))));
        return hits;
    }

    private List<QueryHit> nodes(NodeQuery query, Set<NodeKey> reach, String after, int limit) {
        Selection selection = nodeSelection(query, reach, null).after("n.node_key", after).limit(limit);
        List<NodeKey> keys = database.read(connection -> {
            List<NodeKey> found = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(selection.sql("SELECT n.node_key"))) {
                selection.bind(statement);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.add(new NodeKey(rs.getString(1)));
                    }
                }
            }
            return found;
        });
        return hydrate(keys);
    }

    /** Resources, devices and entities for these keys, in the keys' order; keys of nodes that are gone are left out. */
    public List<QueryHit> hydrate(List<NodeKey> keys) {
        Map<NodeKey, QueryHit> byKey = new HashMap<>();
        List<String> resourceKeys = keys.stream().filter(key -> key.isUnderDevice() && !key.isDevice())
                .map(NodeKey::value).toList();
        if (!resourceKeys.isEmpty()) {
            List<ResourceValue> values = database.read(connection -> {
                List<ResourceValue> found = new ArrayList<>();
                for (List<String> chunk : chunks(resourceKeys)) {
                    try (PreparedStatement statement = connection.prepareStatement("SELECT " + RESOURCE_COLUMNS
                            + " FROM resource_value rv WHERE rv.node_key IN (" + placeholders(chunk.size()) + ")")) {
                        Rows.bind(statement, chunk);
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next()) {
                                found.add(Rows.resourceValue(rs));
                            }
                        }
                    }
                }
                return found;
            });
            Map<NodeKey, ResourceDescription> described = models.describe(values);
            values.forEach(value -> byKey.put(value.key(), new ResourceHit(value, described.get(value.key()))));
        }
        List<String> endpoints = keys.stream().filter(NodeKey::isDevice).map(NodeKey::endpoint).toList();
        if (!endpoints.isEmpty()) {
            database.read(connection -> {
                Map<String, Long> revisions = new HashMap<>();
                for (List<String> chunk : chunks(keys.stream().filter(NodeKey::isDevice).map(NodeKey::value).toList())) {
                    try (PreparedStatement statement = connection.prepareStatement("SELECT node_key, revision FROM node "
                            + "WHERE node_key IN (" + placeholders(chunk.size()) + ")")) {
                        Rows.bind(statement, chunk);
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next()) {
                                revisions.put(rs.getString(1), rs.getLong(2));
                            }
                        }
                    }
                }
                for (List<String> chunk : chunks(endpoints)) {
                    try (PreparedStatement statement = connection.prepareStatement("SELECT " + Rows.DEVICE_COLUMNS
                            + " FROM device WHERE endpoint IN (" + placeholders(chunk.size()) + ")")) {
                        Rows.bind(statement, chunk);
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next()) {
                                Device device = Rows.device(rs);
                                byKey.put(device.key(), new DeviceHit(device,
                                        revisions.getOrDefault(device.key().value(), 1L)));
                            }
                        }
                    }
                }
                return null;
            });
        }
        for (Entity entity : entities.entities(keys.stream().filter(NodeKey::isEntity).toList())) {
            byKey.put(entity.key(), new EntityHit(entity));
        }
        List<QueryHit> hits = new ArrayList<>(keys.size());
        keys.forEach(key -> {
            QueryHit hit = byKey.get(key);
            if (hit != null) {
                hits.add(hit);
            }
        });
        return hits;
    }

    private static Selection resourceSelection(NodeQuery query, Set<NodeKey> reach, Collection<NodeKey> among) {
        Selection selection = new Selection("rv.node_key",
                " FROM resource_value rv" + (query.hasDeviceClauses() ? " JOIN device d ON d.endpoint = rv.endpoint" : ""));
        PathPattern path = query.path();
        if (path.endpoint() != null) {
            if (path.endpointIsGlob()) {
                selection.where("rv.endpoint LIKE ? ESCAPE '!'", glob(path.endpoint()));
            } else {
                selection.where("rv.endpoint = ?", path.endpoint());
            }
        }
        if (path.objectId() != null) {
            selection.where("rv.object_id = ?", path.objectId());
        }
        if (path.instanceId() != null) {
            selection.where("rv.instance_id = ?", path.instanceId());
        }
        if (path.resourceId() != null) {
            selection.where("rv.resource_id = ?", path.resourceId());
        }
        if (path.exactDepth()) {
            if (path.resourceInstanceId() != null) {
                selection.where("rv.resource_instance_id = ?", path.resourceInstanceId());
            } else {
                selection.where("rv.resource_instance_id IS NOT NULL");
            }
        }
        deviceClauses(query, selection, "rv.endpoint");
        if (query.value() != null) {
            NodeQuery.ValueFilter value = query.value();
            if (value.numeric()) {
                selection.where("rv.value_num " + value.operator().replace("!=", "<>") + " ?", Double.parseDouble(value.operand()));
            } else {
                selection.where("rv.value_text " + value.operator().replace("!=", "<>") + " ?", value.operand());
            }
        }
        if (reach != null) {
            List<String> endpoints = reach.stream().map(NodeKey::endpoint).filter(java.util.Objects::nonNull).distinct().toList();
            selection.in("rv.endpoint", endpoints);
        }
        if (among != null) {
            selection.in("rv.node_key", among.stream().map(NodeKey::value).toList());
        }
        return selection;
    }

    private static Selection nodeSelection(NodeQuery query, Set<NodeKey> reach, Collection<NodeKey> among) {
        boolean devices = query.traversal() != null || !query.hasEntityClauses();
        boolean entityNodes = query.traversal() != null || query.hasEntityClauses();
        Selection selection = new Selection("n.node_key", " FROM node n"
                + (query.hasDeviceClauses() ? " LEFT JOIN device d ON d.endpoint = n.endpoint" : ""));
        if (devices && entityNodes) {
            selection.where("(n.kind = 'device' OR n.kind = 'entity')");
        } else {
            selection.where(devices ? "n.kind = 'device'" : "n.kind = 'entity'");
        }
        if (!query.kinds().isEmpty()) {
            List<String> entityKinds = query.kinds().stream().filter(kind -> !kind.equals("device")).toList();
            List<Object> parameters = new ArrayList<>(entityKinds);
            String entityPart = entityKinds.isEmpty() ? "1 = 0"
                    : "(n.kind = 'entity' AND n.entity_kind IN (" + placeholders(entityKinds.size()) + "))";
            selection.where("(" + (query.kinds().contains("device") ? "n.kind = 'device' OR " : "") + entityPart + ")",
                    parameters.toArray());
        }
        if (query.hasDeviceClauses()) {
            selection.where("n.kind = 'device'");
            deviceClauses(query, selection, "n.endpoint");
        }
        query.attributes().forEach((name, value) -> selection.where(
                "n.node_key IN (SELECT node_key FROM node_attribute WHERE name = ? AND attr_value = ?)", name, value));
        if (reach != null) {
            selection.in("n.node_key", reach.stream().filter(key -> key.isDevice() || key.isEntity())
                    .map(NodeKey::value).toList());
        }
        if (among != null) {
            selection.in("n.node_key", among.stream().map(NodeKey::value).toList());
        }
        return selection;
    }

    private static void deviceClauses(NodeQuery query, Selection selection, String endpointColumn) {
        if (!query.states().isEmpty()) {
            selection.where("d.state IN (" + placeholders(query.states().size()) + ")",
                    query.states().stream().map(Enum::name).sorted().toArray());
        }
        if (query.endpointGlob() != null) {
            selection.where(endpointColumn + " LIKE ? ESCAPE '!'", glob(query.endpointGlob()));
        }
        if (query.lwm2mVersion() != null) {
            selection.where("d.lwm2m_version = ?", query.lwm2mVersion());
        }
        if (query.binding() != null) {
            selection.where("d.binding = ?", query.binding());
        }
        if (query.queueMode() != null) {
            selection.where("d.queue_mode = ?", query.queueMode());
        }
    }

    private static boolean exists(Connection connection, NodeKey key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM node WHERE node_key = ?")) {
            statement.setString(1, key.value());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void neighbours(Connection connection, String knownColumn, String otherColumn, Set<String> frontier,
            Set<String> via, Set<String> out) throws SQLException {
        for (List<String> chunk : chunks(frontier)) {
            String sql = "SELECT " + otherColumn + " FROM edge WHERE " + knownColumn + " IN (" + placeholders(chunk.size())
                    + ")" + (via.isEmpty() ? "" : " AND kind IN (" + placeholders(via.size()) + ")");
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                List<String> parameters = new ArrayList<>(chunk);
                parameters.addAll(via);
                Rows.bind(statement, parameters);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
    }

    private static String glob(String glob) {
        return glob.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
    }

    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static List<List<String>> chunks(Collection<String> values) {
        List<String> all = new ArrayList<>(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int start = 0; start < all.size(); start += IN_CHUNK) {
            chunks.add(all.subList(start, Math.min(all.size(), start + IN_CHUNK)));
        }
        return chunks;
    }
}
