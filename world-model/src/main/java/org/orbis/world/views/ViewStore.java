package org.orbis.world.views;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.query.NodeQuery;
import org.orbis.world.store.Database;
import org.orbis.world.store.FeedGoneException;
import org.orbis.world.store.WorldStore;

/** View definitions, memberships and membership logs. Thread-safe. */
public final class ViewStore {

    public static final int MAX_VIEWS = 10_000;
    /** Names per {@code IN (...)} list when reading many views at once. */
    private static final int IN_LIST = 500;
    private static final String COLUMNS = "name, query, description, revision, evaluated_revision, evaluated_seq, "
            + "created_at, updated_at";

    private final Database database;
    private final Clock clock;

    public ViewStore(WorldStore world) {
        this.database = world.database();
        this.clock = world.clock();
    }

    /**
     * Defines a view or changes its query; the maintainer computes its result shortly after.
     *
     * @throws org.orbis.world.query.QueryException if the query does not parse
     */
    public ViewDefinition define(String name, String query, String description) {
        ViewDefinition.requireValidName(name);
        NodeQuery.parse(query);
        if (description != null && description.length() > 1000) {
            throw new IllegalArgumentException("description is longer than 1000 characters");
        }
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            Optional<ViewDefinition> existing = find(connection, name, true);
            if (existing.isEmpty()) {
                if (count(connection) >= MAX_VIEWS) {
                    throw new IllegalArgumentException("there are already " + MAX_VIEWS + " views; delete some first");
                }
                update(connection, "INSERT INTO view_definition (" + COLUMNS + ") VALUES (?, ?, ?, 1, 0, 0, ?, ?)", name,
                        query, description, now, now);
            } else if (!existing.get().query().equals(query)) {
                update(connection, "UPDATE view_definition SET query = ?, description = ?, revision = revision + 1, "
                        + "updated_at = ? WHERE name = ?", query, description, now, name);
            } else {
                update(connection, "UPDATE view_definition SET description = ? WHERE name = ?", description, name);
            }
            return find(connection, name, false).orElseThrow();
        });
    }

    public boolean delete(String name) {
        return database.inTransaction(connection -> update(connection, "DELETE FROM view_definition WHERE name = ?", name) > 0);
    }

    public Optional<ViewDefinition> view(String name) {
        return database.read(connection -> find(connection, name, false));
    }

    public List<ViewDefinition> views() {
        return database.read(connection -> {
            List<ViewDefinition> views = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM view_definition ORDER BY name"); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    views.add(definition(rs));
                }
            }
            return views;
        });
    }

    /** The sequence through which every view's membership is current. */
    public long maintained() {
        return database.read(ViewStore::progress);
    }

    /**
     * The view as of now ({@code after} {@code null}: current membership, no changes) or as of sequence {@code after}
     * (membership then, plus every membership change since), read in one consistent snapshot.
     *
     * @throws FeedGoneException if {@code after} is older than what retention kept
     */
    public Optional<ViewState> state(String name, Long after) {
        return database.snapshot(connection -> {
            Optional<ViewDefinition> definition = find(connection, name, false);
            if (definition.isEmpty()) {
                return Optional.empty();
            }
            long maintained = progress(connection);
            Set<NodeKey> members = new LinkedHashSet<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT node_key FROM view_member WHERE view_name = ? ORDER BY node_key")) {
                statement.setString(1, name);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        members.add(new NodeKey(rs.getString(1)));
                    }
                }
            }
            if (after == null || after >= maintained) {
                return Optional.of(new ViewState(definition.get(), maintained, maintained, members, List.of(), false));
            }
            if (after < definition.get().evaluatedSequence()) {
                return Optional.of(new ViewState(definition.get(), maintained, maintained, members, List.of(), true));
            }
            long pruned = single(connection, "SELECT pruned_through FROM feed_horizon WHERE id = 1");
            if (after < pruned) {
                throw new FeedGoneException(after, pruned);
            }
            List<ViewChange> changes = changes(connection, name, after, maintained);
            for (int i = changes.size() - 1; i >= 0; i--) {
                ViewChange change = changes.get(i);
                if (change.entered()) {
                    members.remove(change.key());
                } else {
                    members.add(change.key());
                }
            }
            return Optional.of(new ViewState(definition.get(), after, maintained, members, changes, false));
        });
    }

    /** Membership changes of a view in {@code (after, upTo]}, in sequence order (leaves before enters per sequence). */
    public List<ViewChange> changes(String name, long after, long upTo) {
        return database.read(connection -> changes(connection, name, after, upTo));
    }

    /** The definitions of those of these views that exist, by name (one query per 500 names). */
    public Map<String, ViewDefinition> views(Collection<String> names) {
        Map<String, ViewDefinition> found = new HashMap<>();
        database.read(connection -> {
            for (List<String> chunk : chunks(names)) {
                try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                        + " FROM view_definition WHERE name IN (" + placeholders(chunk.size()) + ")")) {
                    bindNames(statement, chunk, 0);
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            ViewDefinition definition = definition(rs);
                            found.put(definition.name(), definition);
                        }
                    }
                }
            }
            return null;
        });
        return found;
    }

    /**
     * Membership changes of these views in {@code (after, upTo]}, by view, each in sequence order (leaves before enters
     * per sequence); views without changes are absent. One query per 500 names, on the primary key.
     */
    public Map<String, List<ViewChange>> changes(Collection<String> names, long after, long upTo) {
        Map<String, List<ViewChange>> changes = new HashMap<>();
        database.read(connection -> {
            for (List<String> chunk : chunks(names)) {
                try (PreparedStatement statement = connection.prepareStatement("SELECT view_name, seq, node_key, op "
                        + "FROM view_change WHERE view_name IN (" + placeholders(chunk.size()) + ") AND seq > ? "
                        + "AND seq <= ? ORDER BY view_name, seq, op DESC, node_key")) {
                    bindNames(statement, chunk, 0);
                    statement.setLong(chunk.size() + 1, after);
                    statement.setLong(chunk.size() + 2, upTo);
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            changes.computeIfAbsent(rs.getString(1), name -> new ArrayList<>()).add(new ViewChange(
                                    rs.getLong(2), new NodeKey(rs.getString(3)), rs.getString(4).equals("enter")));
                        }
                    }
                }
            }
            return null;
        });
        return changes;
    }

    private static List<List<String>> chunks(Collection<String> names) {
        List<String> all = List.copyOf(names);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_LIST) {
            chunks.add(all.subList(i, Math.min(all.size(), i + IN_LIST)));
        }
        return chunks;
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static void bindNames(PreparedStatement statement, List<String> names, int offset) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            statement.setString(offset + i + 1, names.get(i));
        }
    }

    /** The current members (as the maintainer last computed them), in key order. */
    public List<NodeKey> members(String name) {
        return database.read(connection -> {
            List<NodeKey> members = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT node_key FROM view_member WHERE view_name = ? ORDER BY node_key")) {
                statement.setString(1, name);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        members.add(new NodeKey(rs.getString(1)));
                    }
                }
            }
            return members;
        });
    }

    /**
     * Applies one round of the maintainer: membership changes of several views, all labelled with {@code sequence},
     * and the new progress. Refused (returns {@code false}) if the progress is no longer {@code expectedProgress}:
     * another maintainer got there first.
     */
    boolean apply(long expectedProgress, long sequence, Collection<Diff> diffs) {
        return database.inTransaction(connection -> {
            long progress;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT maintained_seq FROM view_progress WHERE id = 1 FOR UPDATE"); ResultSet rs = statement.executeQuery()) {
                rs.next();
                progress = rs.getLong(1);
            }
            if (progress != expectedProgress) {
                return false;
            }
            for (Diff diff : diffs) {
                if (find(connection, diff.view(), false).map(ViewDefinition::revision).orElse(-1L) != diff.revision()) {
                    continue; // redefined or deleted meanwhile: the next round recomputes it
                }
                try (PreparedStatement log = connection.prepareStatement(
                        "INSERT INTO view_change (view_name, seq, node_key, op) VALUES (?, ?, ?, ?)");
                        PreparedStatement add = connection.prepareStatement(
                                "INSERT INTO view_member (view_name, node_key) VALUES (?, ?)");
                        PreparedStatement remove = connection.prepareStatement(
                                "DELETE FROM view_member WHERE view_name = ? AND node_key = ?")) {
                    for (NodeKey key : diff.left()) {
                        if (diff.logged()) {
                            batch(log, diff.view(), sequence, key, "leave");
                        }
                        remove.setString(1, diff.view());
                        remove.setString(2, key.value());
                        remove.addBatch();
                    }
                    for (NodeKey key : diff.entered()) {
                        if (diff.logged()) {
                            batch(log, diff.view(), sequence, key, "enter");
                        }
                        add.setString(1, diff.view());
                        add.setString(2, key.value());
                        add.addBatch();
                    }
                    log.executeBatch();
                    remove.executeBatch();
                    add.executeBatch();
                }
                if (diff.evaluated()) {
                    update(connection, "UPDATE view_definition SET evaluated_revision = ?, evaluated_seq = ? WHERE name = ?",
                            diff.revision(), sequence, diff.view());
                }
            }
            update(connection, "UPDATE view_progress SET maintained_seq = ? WHERE id = 1", sequence);
            return true;
        });
    }

    /**
     * What one round changes in one view. {@code evaluated}: a first evaluation of {@code revision}, whose changes
     * replace the membership without being logged (subscribers of an older revision resync); else {@code logged}.
     */
    record Diff(String view, long revision, boolean evaluated, Set<NodeKey> entered, Set<NodeKey> left) {
        boolean logged() {
            return !evaluated;
        }
    }

    private static void batch(PreparedStatement log, String view, long sequence, NodeKey key, String op)
            throws SQLException {
        log.setString(1, view);
        log.setLong(2, sequence);
        log.setString(3, key.value());
        log.setString(4, op);
        log.addBatch();
    }

    private static List<ViewChange> changes(Connection connection, String name, long after, long upTo) throws SQLException {
        List<ViewChange> changes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT seq, node_key, op FROM view_change "
                + "WHERE view_name = ? AND seq > ? AND seq <= ? ORDER BY seq, op DESC, node_key")) {
            statement.setString(1, name);
            statement.setLong(2, after);
            statement.setLong(3, upTo);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    changes.add(new ViewChange(rs.getLong(1), new NodeKey(rs.getString(2)), rs.getString(3).equals("enter")));
                }
            }
        }
        return changes;
    }

    private static long progress(Connection connection) throws SQLException {
        return single(connection, "SELECT maintained_seq FROM view_progress WHERE id = 1");
    }

    private static long count(Connection connection) throws SQLException {
        return single(connection, "SELECT COUNT(*) FROM view_definition");
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static Optional<ViewDefinition> find(Connection connection, String name, boolean lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM view_definition WHERE name = ?" + (lock ? " FOR UPDATE" : ""))) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(definition(rs)) : Optional.empty();
            }
        }
    }

    private static ViewDefinition definition(ResultSet rs) throws SQLException {
        return new ViewDefinition(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getObject(7, OffsetDateTime.class).toInstant(),
                rs.getObject(8, OffsetDateTime.class).toInstant());
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter == null) {
                    statement.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    statement.setObject(i + 1, parameter instanceof Instant instant
                            ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : parameter);
                }
            }
            return statement.executeUpdate();
        }
    }
}
