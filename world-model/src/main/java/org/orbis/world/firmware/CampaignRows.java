package org.orbis.world.firmware;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Row mapping of campaigns and campaign devices. */
final class CampaignRows {

    static final String CAMPAIGN_COLUMNS = "id, name, image_id, delivery, state, target, batch_size, concurrency, "
            + "rate_per_minute, failure_threshold, max_attempts, retry_backoff_ms, device_timeout_ms, reason, "
            + "created_at, updated_at, finished_at";
    static final String DEVICE_COLUMNS = "campaign_id, endpoint, position, state, delivery, attempts, from_version, "
            + "baseline_seq, step_command_id, poll_command_id, step_at, polled_at, not_before, started_at, attempt_at, "
            + "finished_at, result_code, detail, updated_at";

    private CampaignRows() {
    }

    static Campaign campaign(ResultSet rs) throws SQLException {
        CampaignPolicy policy = new CampaignPolicy(rs.getInt("batch_size"), rs.getInt("concurrency"),
                rs.getInt("rate_per_minute"), rs.getDouble("failure_threshold"), rs.getInt("max_attempts"),
                Duration.ofMillis(rs.getLong("retry_backoff_ms")), Duration.ofMillis(rs.getLong("device_timeout_ms")));
        return new Campaign(rs.getLong("id"), rs.getString("name"), rs.getLong("image_id"),
                Delivery.valueOf(rs.getString("delivery")), CampaignState.valueOf(rs.getString("state")),
                rs.getString("target"), policy, rs.getString("reason"), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "finished_at"));
    }

    static CampaignDevice device(ResultSet rs) throws SQLException {
        String delivery = rs.getString("delivery");
        return new CampaignDevice(rs.getLong("campaign_id"), rs.getString("endpoint"), rs.getInt("position"),
                DeviceUpdateState.valueOf(rs.getString("state")), delivery == null ? null : Delivery.valueOf(delivery),
                rs.getInt("attempts"), rs.getString("from_version"), nullableLong(rs, "baseline_seq"),
                nullableLong(rs, "step_command_id"), nullableLong(rs, "poll_command_id"), instant(rs, "step_at"),
                instant(rs, "polled_at"), instant(rs, "not_before"), instant(rs, "started_at"), instant(rs, "attempt_at"),
                instant(rs, "finished_at"), nullableInt(rs, "result_code"), rs.getString("detail"),
                instant(rs, "updated_at"));
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter instanceof Instant instant) {
                statement.setObject(i + 1, time(instant));
            } else if (parameter instanceof NullOf type) {
                statement.setNull(i + 1, type.sqlType());
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }

    /** A typed SQL NULL parameter (PostgreSQL wants to know the type). */
    record NullOf(int sqlType) {
        static final NullOf BIGINT = new NullOf(Types.BIGINT);
        static final NullOf INTEGER = new NullOf(Types.INTEGER);
        static final NullOf VARCHAR = new NullOf(Types.VARCHAR);
        static final NullOf TIME = new NullOf(Types.TIMESTAMP_WITH_TIMEZONE);
    }

    static Object orNull(Object value, NullOf type) {
        return value == null ? type : value;
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
