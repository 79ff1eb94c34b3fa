package org.orbis.world.commands;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Row mapping and small JSON helpers of the commands package. */
final class CommandRows {

    private CommandRows() {
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static Command command(ResultSet rs) throws SQLException {
        return new Command(rs.getLong("id"), rs.getString("endpoint"), CommandKind.valueOf(rs.getString("kind")),
                rs.getString("path"), rs.getString("payload"), rs.getInt("priority"), rs.getString("coalesce_key"),
                rs.getString("origin"), CommandStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                rs.getInt("max_attempts"), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "not_before"), instant(rs, "updated_at"), rs.getString("response_code"),
                rs.getString("response"));
    }
}
