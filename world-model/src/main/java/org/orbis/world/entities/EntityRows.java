package org.orbis.world.entities;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.orbis.world.graph.Edge;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.NodeKey;

/** JDBC mapping of entities (rows of {@code node} with kind {@code entity}), their attributes and edges. */
final class EntityRows {

    static final String ENTITY_COLUMNS = "node_key, entity_kind, label, revision, created_at, updated_at";
    static final int IN_CHUNK = 500;

    private EntityRows() {
    }

    static Optional<Entity> entity(Connection connection, NodeKey key) throws SQLException {
        List<Entity> found = entities(connection, "SELECT " + ENTITY_COLUMNS
                + " FROM node WHERE kind = 'entity' AND node_key = ?", List.of(key.value()));
        return found.stream().findFirst();
    }

    static List<Entity> entities(Connection connection, String sql, List<Object> parameters) throws SQLException {
        List<Entity> rows = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    index.put(rs.getString(1), rows.size());
                    rows.add(new Entity(new NodeKey(rs.getString(1)), rs.getString(2), rs.getString(3), Map.of(),
                            rs.getLong(4), instant(rs, 5), instant(rs, 6)));
                }
            }
        }
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, Map<String, String>> attributes = attributes(connection, index.keySet());
        List<Entity> complete = new ArrayList<>(rows.size());
        for (Entity entity : rows) {
            Map<String, String> own = attributes.getOrDefault(entity.key().value(), Map.of());
            complete.add(new Entity(entity.key(), entity.kind(), entity.label(), own, entity.revision(),
                    entity.createdAt(), entity.updatedAt()));
        }
        return complete;
    }

    static Map<String, Map<String, String>> attributes(Connection connection, Collection<String> keys) throws SQLException {
        Map<String, Map<String, String>> attributes = new HashMap<>();
        for (List<String> chunk : chunks(keys)) {
            String sql = "SELECT node_key, name, attr_value FROM node_attribute WHERE node_key IN ("
                    + placeholders(chunk.size()) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, new ArrayList<>(chunk));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        attributes.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                    }
                }
            }
        }
        return attributes;
    }

    /** Which of {@code keys} exist as nodes, with their node kind. */
    static Map<String, String> existingNodes(Connection connection, Collection<String> keys) throws SQLException {
        Map<String, String> found = new LinkedHashMap<>();
        for (List<String> chunk : chunks(keys)) {
            String sql = "SELECT node_key, kind FROM node WHERE node_key IN (" + placeholders(chunk.size()) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, new ArrayList<>(chunk));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return found;
    }

    static List<Edge> edges(Connection connection, String where, List<Object> parameters) throws SQLException {
        List<Edge> edges = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT from_key, kind, to_key, created_at FROM edge WHERE " + where)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    edges.add(new Edge(new NodeKey(rs.getString(1)), rs.getString(2), new NodeKey(rs.getString(3)),
                            instant(rs, 4)));
                }
            }
        }
        return edges;
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, java.util.Arrays.asList(parameters));
            return statement.executeUpdate();
        }
    }

    static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof Instant instant) {
                statement.setObject(i + 1, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else if (parameter == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    static List<List<String>> chunks(Collection<String> values) {
        List<String> all = new ArrayList<>(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int start = 0; start < all.size(); start += IN_CHUNK) {
            chunks.add(all.subList(start, Math.min(all.size(), start + IN_CHUNK)));
        }
        return chunks;
    }
}
