package org.orbis.world.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.orbis.world.graph.ChangeEvent;

/**
 * Reads the change feed: every committed change in sequence order, from any sequence onwards. Readers (the console's
 * event stream, view delivery, cluster peers) remember the last sequence they saw and ask for what follows, so a
 * reader that reconnects loses nothing. Waiting readers wake as soon as this process commits, and poll anyway so that
 * commits made by other processes on the same database are seen too.
 */
public final class ChangeFeed implements CommitListener {

    private final Database database;
    private final Object monitor = new Object();
    private long localHead;

    public ChangeFeed(WorldStore store) {
        this.database = store.database();
        this.localHead = head();
        store.addCommitListener(this);
    }

    /** The sequence of the last committed change, 0 if there is none. */
    public long head() {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT last_seq FROM feed_head WHERE id = 1");
                    ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Up to {@code limit} changes with a sequence above {@code after}, oldest first.
     *
     * @throws FeedGoneException if retention removed changes right after {@code after}: the reader must resync
     */
    public List<ChangeEvent> readAfter(long after, int limit) {
        List<ChangeEvent> events = read(after, limit);
        // The feed is gap-free, so only a read that does not start at after + 1 can have lost anything to retention.
        // The horizon is read after the rows, so a pruning that committed in between is seen.
        if (events.isEmpty() || events.get(0).sequence() != after + 1) {
            long pruned = prunedThrough();
            if (after < pruned) {
                throw new FeedGoneException(after, pruned);
            }
        }
        return events;
    }

    /** Changes up to and including this sequence were removed by retention (0: none). */
    public long prunedThrough() {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pruned_through FROM feed_horizon WHERE id = 1"); ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private List<ChangeEvent> read(long after, int limit) {
        return database.read(connection -> {
            String sql = "SELECT " + Rows.FEED_COLUMNS + " FROM change_feed WHERE seq > ? ORDER BY seq LIMIT " + limit;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, after);
                try (ResultSet rs = statement.executeQuery()) {
                    List<ChangeEvent> events = new ArrayList<>();
                    while (rs.next()) {
                        events.add(Rows.changeEvent(rs));
                    }
                    return events;
                }
            }
        });
    }

    /**
     * Like {@link #readAfter} but, when nothing follows {@code after} yet, waits up to {@code timeout} for a commit.
     * Returns an empty list if none came.
     */
    public List<ChangeEvent> awaitAfter(long after, int limit, Duration timeout) throws InterruptedException {
        List<ChangeEvent> events = readAfter(after, limit);
        if (!events.isEmpty()) {
            return events;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            long remaining;
            while (localHead <= after && (remaining = deadline - System.nanoTime()) > 0) {
                monitor.wait(Math.max(1, remaining / 1_000_000));
            }
        }
        return readAfter(after, limit);
    }

    @Override
    public void committed(List<ChangeEvent> events) {
        long last = events.get(events.size() - 1).sequence();
        synchronized (monitor) {
            if (last > localHead) {
                localHead = last;
            }
            monitor.notifyAll();
        }
    }
}
