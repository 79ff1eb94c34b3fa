package org.orbis.world.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.Registration;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.graph.ValueType;

/**
 * Mapping between JDBC rows/parameters and the graph records; the same code for H2 and PostgreSQL. Public for the
 * world model's read-side packages (queries, views, history); not an API for other modules.
 */
public final class Rows {

    public static final String DEVICE_COLUMNS = "endpoint, state, registration_id, lwm2m_version, binding, lifetime_s, "
            + "queue_mode, address, object_links, registered_at, last_seen, created_at";
    public static final String VALUE_COLUMNS = "endpoint, object_id, instance_id, resource_id, resource_instance_id, "
            + "value_type, value_text, device_time, server_time, revision, seq";
    static final String FEED_COLUMNS = "seq, committed_at, kind, endpoint, node_key, value_type, value_text, "
            + "device_time, server_time, revision, state, detail";

    private Rows() {
    }

    public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    public static void setNullableInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    public static void bind(PreparedStatement statement, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setString(i + 1, values.get(i));
        }
    }

    public static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    public static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    public static void setNullableDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    public static Integer getNullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    public static Long getNullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static Device device(ResultSet rs) throws SQLException {
        Registration registration = null;
        String registrationId = rs.getString("registration_id");
        if (registrationId != null) {
            Long lifetime = getNullableLong(rs, "lifetime_s");
            registration = new Registration(registrationId, rs.getString("lwm2m_version"), rs.getString("binding"),
                    lifetime == null ? 0 : lifetime, rs.getBoolean("queue_mode"), rs.getString("address"),
                    rs.getString("object_links"), getInstant(rs, "registered_at"));
        }
        return new Device(rs.getString("endpoint"), DeviceState.valueOf(rs.getString("state")), registration,
                getInstant(rs, "last_seen"), getInstant(rs, "created_at"));
    }

    public static ResourceValue resourceValue(ResultSet rs) throws SQLException {
        ResourcePath path = new ResourcePath(rs.getInt("object_id"), rs.getInt("instance_id"), rs.getInt("resource_id"),
                getNullableInt(rs, "resource_instance_id"));
        return new ResourceValue(rs.getString("endpoint"), path, typedValue(rs), getInstant(rs, "device_time"),
                getInstant(rs, "server_time"), rs.getLong("revision"), rs.getLong("seq"));
    }

    static ChangeEvent changeEvent(ResultSet rs) throws SQLException {
        String nodeKey = rs.getString("node_key");
        String valueType = rs.getString("value_type");
        String state = rs.getString("state");
        ChangeEvent.Kind kind = ChangeEvent.Kind.valueOf(rs.getString("kind"));
        // Changes of the graph's structure, and any change concerning no device (a firmware campaign's), are about the
        // node their key names.
        boolean structural = kind == ChangeEvent.Kind.ENTITY || kind == ChangeEvent.Kind.EDGE
                || rs.getString("endpoint") == null;
        return new ChangeEvent(rs.getLong("seq"), getInstant(rs, "committed_at"), kind, rs.getString("endpoint"),
                !structural && isResourceKey(nodeKey) ? pathOfKey(nodeKey) : null,
                valueType == null ? null : typedValue(rs), getNullableLong(rs, "revision"), getInstant(rs, "device_time"),
                getInstant(rs, "server_time"), state == null ? null : DeviceState.valueOf(state), rs.getString("detail"),
                structural ? new NodeKey(nodeKey) : null);
    }

    /** {@code device/<ep>/o/i/r[/ri]} is a resource key; {@code device/<ep>} is not. */
    static boolean isResourceKey(String nodeKey) {
        return nodeKey.chars().filter(c -> c == '/').count() >= 4;
    }

    private static TypedValue typedValue(ResultSet rs) throws SQLException {
        return new TypedValue(ValueType.valueOf(rs.getString("value_type")), rs.getString("value_text"));
    }

    /** {@code device/<ep>/o/i/r[/ri]} → the resource path (endpoints never contain '/'). */
    static ResourcePath pathOfKey(String nodeKey) {
        int afterPrefix = nodeKey.indexOf('/');
        int afterEndpoint = nodeKey.indexOf('/', afterPrefix + 1);
        return ResourcePath.parse(nodeKey.substring(afterEndpoint));
    }
}
