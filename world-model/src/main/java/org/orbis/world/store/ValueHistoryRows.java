package org.orbis.world.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.orbis.world.graph.ChangeEvent;

/** Appends every committed value change to {@code value_history}, inside the commit that made it. */
final class ValueHistoryRows {

    private ValueHistoryRows() {
    }

    static void insert(Connection connection, List<ChangeEvent> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO value_history (seq, node_key, at_ms, server_time, value_type, value_text, value_num) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (ChangeEvent change : changes) {
                statement.setLong(1, change.sequence());
                statement.setString(2, change.key().value());
                statement.setLong(3, (change.deviceTime() != null ? change.deviceTime() : change.serverTime()).toEpochMilli());
                Rows.setInstant(statement, 4, change.serverTime());
                statement.setString(5, change.value().type().name());
                statement.setString(6, change.value().text());
                Rows.setNullableDouble(statement, 7, change.value().numeric());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
