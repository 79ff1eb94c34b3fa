package org.orbis.world.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;

/** A row of the {@code node} table: one vertex of the graph with its containment parent. */
record NodeRow(String key, String kind, String parentKey, String endpoint, Integer objectId, Integer instanceId,
        Integer resourceId, Integer resourceInstanceId) {

    static final String DEVICE = "device";
    static final String INSTANCE = "instance";
    static final String RESOURCE = "resource";
    static final String RESOURCE_INSTANCE = "resource-instance";

    static NodeRow device(String endpoint) {
        return new NodeRow(NodeKey.device(endpoint).value(), DEVICE, null, endpoint, null, null, null, null);
    }

    /** The nodes from the object instance down to the resource (instance) at {@code path}, parents first. */
    static List<NodeRow> lineage(String endpoint, ResourcePath path) {
        List<NodeRow> rows = new ArrayList<>(3);
        String instanceKey = NodeKey.instance(endpoint, path.objectId(), path.instanceId()).value();
        rows.add(new NodeRow(instanceKey, INSTANCE, NodeKey.device(endpoint).value(), endpoint, path.objectId(),
                path.instanceId(), null, null));
        ResourcePath resource = path.resource();
        String resourceKey = NodeKey.resource(endpoint, resource).value();
        rows.add(new NodeRow(resourceKey, RESOURCE, instanceKey, endpoint, path.objectId(), path.instanceId(),
                path.resourceId(), null));
        if (path.isResourceInstance()) {
            rows.add(new NodeRow(NodeKey.resource(endpoint, path).value(), RESOURCE_INSTANCE, resourceKey, endpoint,
                    path.objectId(), path.instanceId(), path.resourceId(), path.resourceInstanceId()));
        }
        return rows;
    }

    static void insert(Connection connection, Collection<NodeRow> rows, Instant now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO node (node_key, kind, parent_key, endpoint, object_id, instance_id, resource_id, "
                + "resource_instance_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (NodeRow row : rows) {
                statement.setString(1, row.key());
                statement.setString(2, row.kind());
                Rows.setNullableString(statement, 3, row.parentKey());
                statement.setString(4, row.endpoint());
                Rows.setNullableInt(statement, 5, row.objectId());
                Rows.setNullableInt(statement, 6, row.instanceId());
                Rows.setNullableInt(statement, 7, row.resourceId());
                Rows.setNullableInt(statement, 8, row.resourceInstanceId());
                Rows.setInstant(statement, 9, now);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
