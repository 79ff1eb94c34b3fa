package org.orbis.world.query;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A SQL selection being built: FROM clause, WHERE conditions with their parameters, key order and limit. */
final class Selection {

    private final String keyColumn;
    private final String from;
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();
    private int limit;

    Selection(String keyColumn, String from) {
        this.keyColumn = keyColumn;
        this.from = from;
    }

    String keyColumn() {
        return keyColumn;
    }

    Selection where(String condition, Object... values) {
        conditions.add(condition);
        parameters.addAll(List.of(values));
        return this;
    }

    /** {@code column IN (…)}; an empty collection selects nothing. */
    Selection in(String column, Collection<String> values) {
        if (values.isEmpty()) {
            return where("1 = 0");
        }
        return where(column + " IN (" + QueryEngine.placeholders(values.size()) + ")", values.toArray());
    }

    Selection after(String column, String after) {
        return after == null ? this : where(column + " > ?", after);
    }

    Selection limit(int limit) {
        this.limit = limit;
        return this;
    }

    String sql(String select) {
        StringBuilder sql = new StringBuilder(select).append(from);
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        sql.append(" ORDER BY ").append(keyColumn);
        if (limit > 0) {
            sql.append(" LIMIT ").append(limit);
        }
        return sql.toString();
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object parameter = parameters.get(i);
            if (parameter instanceof Double number) {
                statement.setDouble(i + 1, number);
            } else if (parameter instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else if (parameter instanceof Boolean flag) {
                statement.setBoolean(i + 1, flag);
            } else {
                statement.setString(i + 1, parameter.toString());
            }
        }
    }
}
