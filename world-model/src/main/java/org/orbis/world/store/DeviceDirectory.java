package org.orbis.world.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.store.DeviceSearch.Field;

/**
 * Answers {@link DeviceSearch}es over the whole fleet with one count and one page query, both in the database; the
 * indexes of migration V6 keep the sorted first pages cheap at tens of thousands of devices.
 */
public final class DeviceDirectory {

    private final Database database;

    public DeviceDirectory(Database database) {
        this.database = database;
    }

    public DevicePage search(DeviceSearch search) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        for (String word : search.words()) {
            where.append(" AND LOWER(d.endpoint) LIKE ? ESCAPE '!'");
            parameters.add(contains(word));
        }
        for (Map.Entry<Field, String> filter : search.filters().entrySet()) {
            String value = filter.getValue();
            switch (filter.getKey()) {
                case STATE -> {
                    where.append(" AND d.state = ?");
                    parameters.add(DeviceState.fromLabel(value).name());
                }
                case BINDING -> {
                    where.append(" AND UPPER(d.binding) = ?");
                    parameters.add(value.toUpperCase(Locale.ROOT));
                }
                case VERSION -> {
                    where.append(" AND d.lwm2m_version = ?");
                    parameters.add(value);
                }
                case QUEUE -> {
                    where.append(" AND d.queue_mode = ?");
                    parameters.add(Boolean.parseBoolean(value));
                }
                case MANUFACTURER -> deviceResource(where, parameters, "/3/0/0", value);
                case MODEL -> deviceResource(where, parameters, "/3/0/1", value);
                case FIRMWARE -> deviceResource(where, parameters, "/3/0/3", value);
                default -> throw new IllegalStateException("unhandled filter " + filter.getKey());
            }
        }
        String direction = search.descending() ? " DESC" : " ASC";
        String order = search.sort() == DeviceSearch.Sort.ENDPOINT ? " ORDER BY d.endpoint" + direction
                : " ORDER BY d." + search.sort().column + direction + " NULLS LAST, d.endpoint ASC";
        return database.read(connection -> {
            long total;
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM device d" + where)) {
                bind(statement, parameters);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Device> devices = new ArrayList<>();
            String columns = "d." + Rows.DEVICE_COLUMNS.replace(", ", ", d.");
            String sql = "SELECT " + columns + " FROM device d" + where + order + " LIMIT " + search.limit()
                    + " OFFSET " + search.offset();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        devices.add(Rows.device(rs));
                    }
                }
            }
            return new DevicePage(devices, total, search.offset(), search.limit());
        });
    }

    private static void deviceResource(StringBuilder where, List<Object> parameters, String path, String value) {
        // the node key is the primary key of resource_value: one index lookup per candidate device
        where.append(" AND EXISTS (SELECT 1 FROM resource_value rv WHERE rv.node_key = 'device/' || d.endpoint || '")
                .append(path).append("' AND LOWER(rv.value_text) LIKE ? ESCAPE '!')");
        parameters.add(contains(value));
    }

    private static String contains(String text) {
        return "%" + text.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws java.sql.SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}
