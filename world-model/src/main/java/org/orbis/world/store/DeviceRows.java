package org.orbis.world.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.Registration;

/** Writes of device rows and their graph nodes, shared by commits and provisioning. */
public final class DeviceRows {

    private DeviceRows() {
    }

    /**
     * Inserts devices in state {@code never} with their graph node, inside the caller's transaction; the caller has
     * checked that they do not exist yet.
     */
    public static void insertNew(Connection connection, List<String> endpoints, Instant now) throws SQLException {
        try (PreparedStatement devices = connection.prepareStatement(
                "INSERT INTO device (endpoint, state, created_at) VALUES (?, ?, ?)")) {
            for (String endpoint : endpoints) {
                devices.setString(1, endpoint);
                devices.setString(2, DeviceState.NEVER.name());
                Rows.setInstant(devices, 3, now);
                devices.addBatch();
            }
            devices.executeBatch();
        }
        NodeRow.insert(connection, endpoints.stream().map(NodeRow::device).toList(), now);
    }

    static void updateState(Connection connection, String endpoint, DeviceState state, Registration registration,
            Instant at) throws SQLException {
        if (registration == null) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE device SET state = ? WHERE endpoint = ?")) {
                statement.setString(1, state.name());
                statement.setString(2, endpoint);
                statement.executeUpdate();
            }
            return;
        }
        String sql = "UPDATE device SET state = ?, registration_id = ?, lwm2m_version = ?, binding = ?, lifetime_s = ?, "
                + "queue_mode = ?, address = ?, object_links = ?, registered_at = ?, "
                + "last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END WHERE endpoint = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, state.name());
            statement.setString(2, registration.registrationId());
            statement.setString(3, registration.lwm2mVersion());
            statement.setString(4, registration.binding());
            statement.setLong(5, registration.lifetimeSeconds());
            statement.setBoolean(6, registration.queueMode());
            statement.setString(7, registration.address());
            statement.setString(8, registration.objectLinks());
            Rows.setInstant(statement, 9, registration.registeredAt());
            Rows.setInstant(statement, 10, at);
            Rows.setInstant(statement, 11, at);
            statement.setString(12, endpoint);
            statement.executeUpdate();
        }
    }

    /** Adds one to the device node's revision and returns the new one. */
    static long bumpRevision(Connection connection, String endpoint, Instant at) throws SQLException {
        String key = org.orbis.world.graph.NodeKey.device(endpoint).value();
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE node SET revision = revision + 1, updated_at = ? WHERE node_key = ?")) {
            Rows.setInstant(statement, 1, at);
            statement.setString(2, key);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT revision FROM node WHERE node_key = ?")) {
            statement.setString(1, key);
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 1;
            }
        }
    }

    static void replaceObjectVersions(Connection connection, String endpoint, java.util.Map<Integer, String> versions)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM device_object WHERE endpoint = ?")) {
            statement.setString(1, endpoint);
            statement.executeUpdate();
        }
        if (versions.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO device_object (endpoint, object_id, object_version) VALUES (?, ?, ?)")) {
            for (java.util.Map.Entry<Integer, String> entry : new java.util.TreeMap<>(versions).entrySet()) {
                statement.setString(1, endpoint);
                statement.setInt(2, entry.getKey());
                statement.setString(3, entry.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
