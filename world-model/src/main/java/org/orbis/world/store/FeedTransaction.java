package org.orbis.world.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.orbis.world.graph.ChangeEvent;

/**
 * A database transaction that appends to the change feed. It starts by locking the single {@code feed_head} row;
 * every writer on every node takes that lock, so sequences are handed out in commit order and a reader that has seen
 * sequence {@code n} can never later find a committed change below {@code n}. The lock also serialises
 * read-then-write sequences of everything done inside the transaction.
 *
 * <p>Obtained from {@link WorldStore#inFeedTransaction}; not thread-safe; only valid inside that call.
 */
public final class FeedTransaction {

    private final Connection connection;
    private final Instant now;
    private final List<ChangeEvent> events = new ArrayList<>();
    private long sequence;
    private long firstSequence;

    FeedTransaction(Connection connection, Instant now) {
        this.connection = connection;
        this.now = now;
    }

    public Connection connection() {
        return connection;
    }

    /** The commit time of this transaction, in the store's clock. */
    public Instant now() {
        return now;
    }

    /** Gives a draft change its sequence and commit time; written to the feed when the transaction ends. */
    public ChangeEvent append(ChangeEvent draft) {
        ChangeEvent event = draft.committed(++sequence, now);
        events.add(event);
        return event;
    }

    List<ChangeEvent> events() {
        return events;
    }

    /** The changes appended so far in this transaction, in sequence order. */
    public List<ChangeEvent> appended() {
        return java.util.Collections.unmodifiableList(events);
    }

    void lock() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT last_seq FROM feed_head WHERE id = 1 FOR UPDATE");
                ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new StoreException("feed_head row is missing: the schema was not migrated by Orbis");
            }
            sequence = rs.getLong(1);
            firstSequence = sequence;
        }
    }

    void finish() throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO change_feed (" + Rows.FEED_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (ChangeEvent event : events) {
                statement.setLong(1, event.sequence());
                Rows.setInstant(statement, 2, event.committedAt());
                statement.setString(3, event.kind().name());
                statement.setString(4, event.endpoint());
                statement.setString(5, event.key().value());
                statement.setString(6, event.value() == null ? null : event.value().type().name());
                statement.setString(7, event.value() == null ? null : event.value().text());
                Rows.setInstant(statement, 8, event.deviceTime());
                Rows.setInstant(statement, 9, event.serverTime());
                Rows.setNullableLong(statement, 10, event.revision());
                statement.setString(11, event.state() == null ? null : event.state().name());
                Rows.setNullableString(statement, 12, event.detail());
                statement.addBatch();
            }
            statement.executeBatch();
        }
        try (PreparedStatement statement = connection.prepareStatement("UPDATE feed_head SET last_seq = ? WHERE id = 1")) {
            statement.setLong(1, sequence);
            statement.executeUpdate();
        }
        if (sequence != firstSequence + events.size()) {
            throw new IllegalStateException("feed sequence accounting is broken");
        }
    }
}
