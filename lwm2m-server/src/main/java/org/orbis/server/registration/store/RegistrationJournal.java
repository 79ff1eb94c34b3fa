package org.orbis.server.registration.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.leshan.server.registration.Registration;
import org.orbis.world.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes registration and observation changes behind the store's in-memory index: callers (Californium's threads)
 * record a change and return; one thread, {@code orbis-registration-journal}, commits everything recorded during the
 * last flush interval in one transaction. Changes to the same registration or token coalesce (the latest wins), so the
 * backlog is bounded by the number of registrations and observations, never by the event rate.
 *
 * <p>A failed transaction is retried with the changes recorded since merged in, so nothing is lost while the database
 * is away; the store keeps serving from memory meanwhile. A process killed between two flushes loses the changes of
 * that interval only: those devices find out at their next Update (4.04) and register again.
 */
final class RegistrationJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationJournal.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Database database;
    private final long intervalNanos;
    private final Object lock = new Object();
    private final Thread thread;
    private Map<String, Change> pending = new LinkedHashMap<>();
    private long recorded;
    private long written;
    private boolean closing;
    private boolean flushRequested;
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private long lastWarnNanos = System.nanoTime() - WARN_INTERVAL_NANOS;

    RegistrationJournal(Database database, Duration flushInterval) {
        this.database = database;
        this.intervalNanos = flushInterval.toNanos();
        this.thread = new Thread(this::run, "orbis-registration-journal");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A change to persist; {@code key} identifies what it replaces. */
    sealed interface Change {
        String key();
    }

    record PutRegistration(Registration registration) implements Change {
        public String key() {
            return "r:" + registration.getId();
        }
    }

    record DeleteRegistration(String registrationId) implements Change {
        public String key() {
            return "r:" + registrationId;
        }
    }

    record PutObservation(String token, String registrationId, byte[] observation, Instant createdAt) implements Change {
        public String key() {
            return "o:" + token;
        }
    }

    record DeleteObservation(String token) implements Change {
        public String key() {
            return "o:" + token;
        }
    }

    void record(Change change) {
        synchronized (lock) {
            pending.put(change.key(), change);
            recorded++;
        }
    }

    /**
     * Writes everything recorded before this call and waits for it.
     *
     * @return {@code false} if it was not written within the timeout (the database is away)
     */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long target = recorded;
            flushRequested = true;
            lock.notifyAll();
            while (written < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Changes recorded but not yet committed. */
    int backlog() {
        synchronized (lock) {
            return pending.size();
        }
    }

    Stats stats() {
        return new Stats(backlog(), flushes.get(), rowsWritten.get(), failures.get());
    }

    /** Journal counters: changes waiting, transactions, rows written, failed transactions. */
    record Stats(int backlog, long flushes, long rowsWritten, long failures) {
    }

    /** Writes what is pending, then stops the thread. */
    @Override
    public void close() {
        if (!flush(Duration.ofSeconds(30))) {
            LOG.error("registration journal closed with {} changes not written", backlog());
        }
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int attempt = 0;
        while (true) {
            Map<String, Change> batch;
            long batchEnd;
            synchronized (lock) {
                if (pending.isEmpty()) {
                    if (closing) {
                        return;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, intervalNanos);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (pending.isEmpty()) {
                        continue;
                    }
                }
                batch = pending;
                batchEnd = recorded;
                pending = new LinkedHashMap<>();
            }
            try {
                write(batch.values());
                attempt = 0;
                flushes.incrementAndGet();
                rowsWritten.addAndGet(batch.size());
                synchronized (lock) {
                    written = batchEnd;
                    lock.notifyAll();
                }
                pause(intervalNanos);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                attempt++;
                synchronized (lock) {
                    // newer changes to the same keys win over the ones that failed
                    batch.putAll(pending);
                    pending = batch;
                    long now = System.nanoTime();
                    if (now - lastWarnNanos > WARN_INTERVAL_NANOS) {
                        lastWarnNanos = now;
                        LOG.warn("writing {} registration/observation changes failed (attempt {}); they stay in "
                                + "memory and are retried: {}", batch.size(), attempt, e.getMessage());
                    }
                    if (closing && attempt >= 3) {
                        LOG.error("giving up on {} registration/observation changes at shutdown", batch.size());
                        written = recorded;
                        lock.notifyAll();
                        return;
                    }
                }
                pause(Math.min(TimeUnit.SECONDS.toNanos(5), intervalNanos * (1L << Math.min(attempt, 6))));
            }
        }
    }

    /** Waits before the next transaction, so that changes gather into batches; a flush request cuts it short. */
    private void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            long left;
            while (!closing && !flushRequested && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            flushRequested = false;
        }
    }

    /** Deletes first, then upserts, so a re-registration under a new id never meets the old row's endpoint. */
    private void write(Iterable<Change> changes) {
        List<String> deletedObservations = new ArrayList<>();
        List<String> deletedRegistrations = new ArrayList<>();
        List<Registration> registrations = new ArrayList<>();
        List<PutObservation> observations = new ArrayList<>();
        for (Change change : changes) {
            if (change instanceof DeleteObservation d) {
                deletedObservations.add(d.token());
            } else if (change instanceof DeleteRegistration d) {
                deletedRegistrations.add(d.registrationId());
            } else if (change instanceof PutRegistration p) {
                registrations.add(p.registration());
            } else if (change instanceof PutObservation p) {
                observations.add(p);
            }
        }
        database.inTransaction(connection -> {
            deleteAll(connection, "DELETE FROM lwm2m_observation WHERE token = ?", deletedObservations);
            deleteAll(connection, "DELETE FROM lwm2m_observation WHERE registration_id = ?", deletedRegistrations);
            deleteAll(connection, "DELETE FROM lwm2m_registration WHERE registration_id = ?", deletedRegistrations);
            upsertRegistrations(connection, registrations);
            upsertObservations(connection, observations);
            return null;
        });
    }

    private static void deleteAll(Connection connection, String sql, List<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (String key : keys) {
                statement.setString(1, key);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void upsertRegistrations(Connection connection, List<Registration> registrations) throws SQLException {
        if (registrations.isEmpty()) {
            return;
        }
        int[] counts;
        try (PreparedStatement update = connection.prepareStatement(RegistrationRows.UPDATE)) {
            for (Registration registration : registrations) {
                RegistrationRows.bindUpdate(update, registration);
                update.addBatch();
            }
            counts = update.executeBatch();
        }
        List<Registration> missing = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                missing.add(registrations.get(i));
            }
        }
        if (!missing.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(RegistrationRows.INSERT)) {
                for (Registration registration : missing) {
                    RegistrationRows.bindInsert(insert, registration);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private static void upsertObservations(Connection connection, List<PutObservation> observations) throws SQLException {
        if (observations.isEmpty()) {
            return;
        }
        int[] counts;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE lwm2m_observation SET registration_id = ?, observation = ? WHERE token = ?")) {
            for (PutObservation observation : observations) {
                update.setString(1, observation.registrationId());
                update.setBytes(2, observation.observation());
                update.setString(3, observation.token());
                update.addBatch();
            }
            counts = update.executeBatch();
        }
        boolean anyMissing = false;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lwm2m_observation "
                + "(token, registration_id, observation, created_at) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    PutObservation observation = observations.get(i);
                    insert.setString(1, observation.token());
                    insert.setString(2, observation.registrationId());
                    insert.setBytes(3, observation.observation());
                    RegistrationRows.setInstant(insert, 4, observation.createdAt());
                    insert.addBatch();
                    anyMissing = true;
                }
            }
            if (anyMissing) {
                insert.executeBatch();
            }
        }
    }
}
