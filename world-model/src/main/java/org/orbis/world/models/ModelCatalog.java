package org.orbis.world.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.store.Database;
import org.orbis.world.store.Rows;
import org.orbis.world.store.WorldStore;

/**
 * The object models every node of the platform shares, stored in the database, and the per-device object versions
 * that select one of them. Thread-safe; models are cached in memory and reloaded after {@link #publish}.
 */
public final class ModelCatalog {

    /** An object a device listed without a {@code ver} attribute has version 1.0 (LwM2M 1.1, 6.2.2). */
    public static final String DEFAULT_VERSION = "1.0";
    private static final int IN_CHUNK = 500;

    private final Database database;
    private volatile Map<String, ObjectModel> cache;

    public ModelCatalog(WorldStore world) {
        this.database = world.database();
    }

    /** Stores these models (replacing any stored model of the same object id and version). */
    public void publish(Collection<ObjectModel> models) {
        database.inTransaction(connection -> {
            for (ObjectModel model : models) {
                write(connection, model);
            }
            return null;
        });
        cache = null;
    }

    /** Every known object model, by object id then version. */
    public List<ObjectModel> objects() {
        return List.copyOf(models().values());
    }

    public Optional<ObjectModel> object(int objectId, String version) {
        return Optional.ofNullable(models().get(cacheKey(objectId, version)));
    }

    /** The object versions a device registered with (object id → version). */
    public Map<Integer, String> deviceObjects(String endpoint) {
        return database.read(connection -> versions(connection, List.of(endpoint)).getOrDefault(endpoint, Map.of()));
    }

    /** The model of each value's resource node, for the object version its device registered with. */
    public Map<NodeKey, ResourceDescription> describe(Collection<ResourceValue> values) {
        if (values.isEmpty()) {
            return Map.of();
        }
        List<String> endpoints = values.stream().map(ResourceValue::endpoint).distinct().toList();
        Map<String, Map<Integer, String>> versions = database.read(connection -> versions(connection, endpoints));
        Map<NodeKey, ResourceDescription> described = new LinkedHashMap<>();
        for (ResourceValue value : values) {
            int objectId = value.path().objectId();
            String version = versions.getOrDefault(value.endpoint(), Map.of()).getOrDefault(objectId, DEFAULT_VERSION);
            ObjectModel object = models().get(cacheKey(objectId, version));
            described.put(value.key(), new ResourceDescription(objectId, version, object == null ? null : object.name(),
                    object == null ? null : object.resource(value.path().resourceId()).orElse(null)));
        }
        return described;
    }

    private Map<String, ObjectModel> models() {
        Map<String, ObjectModel> models = cache;
        if (models == null) {
            models = database.read(ModelCatalog::load);
            cache = models;
        }
        return models;
    }

    private static String cacheKey(int objectId, String version) {
        return String.format("%05d@%s", objectId, version);
    }

    private static Map<String, Map<Integer, String>> versions(Connection connection, List<String> endpoints)
            throws SQLException {
        Map<String, Map<Integer, String>> versions = new HashMap<>();
        for (int start = 0; start < endpoints.size(); start += IN_CHUNK) {
            List<String> chunk = endpoints.subList(start, Math.min(endpoints.size(), start + IN_CHUNK));
            String sql = "SELECT endpoint, object_id, object_version FROM device_object WHERE endpoint IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                Rows.bind(statement, chunk);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        versions.computeIfAbsent(rs.getString(1), e -> new TreeMap<>()).put(rs.getInt(2), rs.getString(3));
                    }
                }
            }
        }
        return versions;
    }

    private static Map<String, ObjectModel> load(Connection connection) throws SQLException {
        Map<String, List<ResourceModel>> resources = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT object_id, object_version, resource_id, "
                + "name, value_type, operations, multiple, mandatory, units, range_enumeration, description "
                + "FROM resource_model"); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                resources.computeIfAbsent(cacheKey(rs.getInt(1), rs.getString(2)), k -> new ArrayList<>())
                        .add(new ResourceModel(rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getBoolean(7), rs.getBoolean(8), rs.getString(9), rs.getString(10), rs.getString(11)));
            }
        }
        Map<String, ObjectModel> models = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT object_id, object_version, name, urn, "
                + "lwm2m_version, multiple, mandatory, description FROM object_model"); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String key = cacheKey(rs.getInt(1), rs.getString(2));
                models.put(key, new ObjectModel(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), rs.getString(8),
                        resources.getOrDefault(key, List.of())));
            }
        }
        return java.util.Collections.unmodifiableMap(models);
    }

    private static void write(Connection connection, ObjectModel model) throws SQLException {
        for (String table : List.of("resource_model", "object_model")) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE object_id = ? AND object_version = ?")) {
                statement.setInt(1, model.id());
                statement.setString(2, model.version());
                statement.executeUpdate();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO object_model (object_id, "
                + "object_version, name, urn, lwm2m_version, multiple, mandatory, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setInt(1, model.id());
            statement.setString(2, model.version());
            statement.setString(3, model.name());
            Rows.setNullableString(statement, 4, model.urn());
            Rows.setNullableString(statement, 5, model.lwm2mVersion());
            statement.setBoolean(6, model.multiple());
            statement.setBoolean(7, model.mandatory());
            Rows.setNullableString(statement, 8, truncate(model.description(), 8000));
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO resource_model (object_id, "
                + "object_version, resource_id, name, value_type, operations, multiple, mandatory, units, "
                + "range_enumeration, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ResourceModel resource : model.resources()) {
                statement.setInt(1, model.id());
                statement.setString(2, model.version());
                statement.setInt(3, resource.id());
                statement.setString(4, resource.name());
                statement.setString(5, resource.type());
                statement.setString(6, resource.operations() == null ? "" : resource.operations());
                statement.setBoolean(7, resource.multiple());
                statement.setBoolean(8, resource.mandatory());
                Rows.setNullableString(statement, 9, truncate(resource.units(), 64));
                Rows.setNullableString(statement, 10, truncate(resource.rangeEnumeration(), 512));
                Rows.setNullableString(statement, 11, truncate(resource.description(), 8000));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
