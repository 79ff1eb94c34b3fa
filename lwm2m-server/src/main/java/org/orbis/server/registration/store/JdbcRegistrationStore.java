package org.orbis.server.registration.store;

import java.net.InetSocketAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Token;
import org.eclipse.californium.core.observe.ObservationStoreException;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.leshan.core.Destroyable;
import org.eclipse.leshan.core.Startable;
import org.eclipse.leshan.core.Stoppable;
import org.eclipse.leshan.core.californium.ObserveUtil;
import org.eclipse.leshan.core.observation.CompositeObservation;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.core.observation.SingleObservation;
import org.eclipse.leshan.core.request.Identity;
import org.eclipse.leshan.server.californium.registration.CaliforniumRegistrationStore;
import org.eclipse.leshan.server.registration.Deregistration;
import org.eclipse.leshan.server.registration.ExpirationListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.eclipse.leshan.server.registration.UpdatedRegistration;
import org.orbis.server.registration.store.RegistrationJournal.DeleteObservation;
import org.orbis.server.registration.store.RegistrationJournal.DeleteRegistration;
import org.orbis.server.registration.store.RegistrationJournal.PutObservation;
import org.orbis.server.registration.store.RegistrationJournal.PutRegistration;
import org.orbis.world.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leshan's registration and observation store on the Orbis database: a restarted DM server finds every registration
 * and observation it had, so notifications keep matching and devices need not register again.
 *
 * <p>Reads never touch the database: the store keeps every registration and a compact encoding of every observation in
 * memory (loaded at construction), and a {@link RegistrationJournal} writes changes behind on its own thread. So the
 * notification path (token lookup, registration lookup, the address refresh that
 * {@code updateRegistrationOnNotification} does) costs no database round trip, and Californium's threads never wait on
 * the database. The store assumes it is the only writer of its tables (one DM server node per database); a cluster
 * would route each device to one node (DTLS Connection ID) and give each node its own rows.
 *
 * <p>Refreshes that only move {@code lastUpdate} (the client's periodic Update, or a notification) are persisted at
 * most every {@link Settings#touchInterval} per registration; registrations therefore expire with that much grace, so
 * that one reloaded after a crash is not expired early.
 *
 * <p>Thread-safe: one read/write lock guards the index, as Leshan's in-memory store does.
 */
public final class JdbcRegistrationStore
        implements CaliforniumRegistrationStore, Startable, Stoppable, Destroyable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRegistrationStore.class);

    private final Settings settings;
    private final Clock clock;
    private final RegistrationJournal journal;
    private final ScheduledExecutorService expiry;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Registration> byEndpoint = new HashMap<>();
    private final Map<String, Registration> byId = new HashMap<>();
    private final Map<InetSocketAddress, Registration> byAddress = new HashMap<>();
    private final Map<Identity, Registration> byIdentity = new HashMap<>();
    /** When each registration's lastUpdate was last written, epoch millis. */
    private final Map<String, Long> persistedUpdate = new HashMap<>();
    private final Map<Token, StoredObservation> observations = new HashMap<>();
    private final Map<String, Set<Token>> tokensByRegistration = new HashMap<>();
    private volatile ExpirationListener expirationListener;
    private ScheduledFuture<?> expiryTask;
    private boolean destroyed;

    private JdbcRegistrationStore(Database database, Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        load(database);
        this.journal = new RegistrationJournal(database, settings.flushInterval());
        this.expiry = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orbis-registration-expiry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens the store and loads every registration and observation from the database. */
    public static JdbcRegistrationStore open(Database database, Settings settings) {
        return new JdbcRegistrationStore(Objects.requireNonNull(database, "database"),
                Objects.requireNonNull(settings, "settings"), Clock.systemUTC());
    }

    public static JdbcRegistrationStore open(Database database) {
        return open(database, Settings.defaults());
    }

    /**
     * How the store writes and expires.
     *
     * @param flushInterval how long changes gather before the journal writes them in one transaction
     * @param touchInterval at most how often a refresh that only moves lastUpdate is written, per registration (also
     *            the grace given before a registration expires)
     * @param expiryPeriod how often expired registrations are looked for
     */
    public record Settings(Duration flushInterval, Duration touchInterval, Duration expiryPeriod) {
        public Settings {
            requirePositive(flushInterval, "flush interval");
            requirePositive(touchInterval, "touch interval");
            requirePositive(expiryPeriod, "expiry period");
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofSeconds(2));
        }

        public Settings withExpiryPeriod(Duration period) {
            return new Settings(flushInterval, touchInterval, period);
        }

        public Settings withTouchInterval(Duration interval) {
            return new Settings(flushInterval, interval, expiryPeriod);
        }

        private static void requirePositive(Duration value, String what) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
        }
    }

    /** An observation as kept in memory and in the database: its registration and its encoding. */
    private record StoredObservation(String registrationId, byte[] encoded) {
    }

    // ---------------------------------------------------------------- loading

    private void load(Database database) {
        long started = System.nanoTime();
        List<Registration> registrations = database.read(connection -> {
            List<Registration> all = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + RegistrationRows.COLUMNS + " FROM lwm2m_registration");
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    try {
                        all.add(RegistrationRows.read(rs));
                    } catch (RuntimeException e) {
                        LOG.warn("stored registration {} of {} cannot be read and is ignored: {}",
                                rs.getString("registration_id"), rs.getString("endpoint"), e.toString());
                    }
                }
            }
            return all;
        });
        for (Registration registration : registrations) {
            index(registration);
            persistedUpdate.put(registration.getId(), registration.getLastUpdate().getTime());
        }
        int[] orphans = {0};
        database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT token, registration_id, observation FROM lwm2m_observation");
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String registrationId = rs.getString(2);
                    Registration owner = byId.get(registrationId);
                    if (owner == null) {
                        orphans[0]++;
                        continue;
                    }
                    Token token = new Token(HexFormat.of().parseHex(rs.getString(1)));
                    // share the id string with the registration instead of one copy per observation
                    indexObservation(token, new StoredObservation(owner.getId(), rs.getBytes(3)));
                }
            }
            return null;
        });
        LOG.info("registration store: {} registrations and {} observations loaded in {} ms{}", byId.size(),
                observations.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                orphans[0] == 0 ? "" : " (" + orphans[0] + " observations without registration ignored)");
    }

    // ---------------------------------------------------------------- Leshan registrations

    @Override
    public Deregistration addRegistration(Registration registration) {
        lock.writeLock().lock();
        try {
            Registration previous = byEndpoint.get(registration.getEndpoint());
            Collection<Observation> removedObservations = List.of();
            if (previous != null) {
                removedObservations = removeObservationsOf(previous.getId());
                unindex(previous);
                if (!previous.getId().equals(registration.getId())) {
                    journal.record(new DeleteRegistration(previous.getId()));
                }
            }
            index(registration);
            persist(registration);
            return previous == null ? null : new Deregistration(previous, removedObservations);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public UpdatedRegistration updateRegistration(RegistrationUpdate update) {
        lock.writeLock().lock();
        try {
            Registration current = byId.get(update.getRegistrationId());
            if (current == null) {
                return null;
            }
            if (isRefreshOnly(update) && Objects.equals(update.getIdentity(), current.getIdentity())
                    && clock.millis() - current.getLastUpdate().getTime() < 1_000) {
                // A notification right after another: nothing to change (lastUpdate has second-level meaning).
                return new UpdatedRegistration(current, current);
            }
            Registration updated = update.update(current);
            unindex(current);
            index(updated);
            Long written = persistedUpdate.get(updated.getId());
            boolean onlyTimeMoved = isRefreshOnly(update) && updated.getIdentity().equals(current.getIdentity());
            if (!onlyTimeMoved || written == null
                    || updated.getLastUpdate().getTime() - written >= settings.touchInterval().toMillis()) {
                persist(updated);
            }
            return new UpdatedRegistration(current, updated);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static boolean isRefreshOnly(RegistrationUpdate update) {
        return update.getLifeTimeInSec() == null && update.getSmsNumber() == null && update.getBindingMode() == null
                && update.getObjectLinks() == null
                && (update.getAdditionalAttributes() == null || update.getAdditionalAttributes().isEmpty());
    }

    @Override
    public Registration getRegistration(String registrationId) {
        lock.readLock().lock();
        try {
            return byId.get(registrationId);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Registration getRegistrationByEndpoint(String endpoint) {
        lock.readLock().lock();
        try {
            return byEndpoint.get(endpoint);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Registration getRegistrationByAdress(InetSocketAddress address) {
        lock.readLock().lock();
        try {
            return byAddress.get(address);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Registration getRegistrationByIdentity(Identity identity) {
        lock.readLock().lock();
        try {
            return byIdentity.get(identity);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Iterator<Registration> getAllRegistrations() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(byEndpoint.values()).iterator();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many registrations the store holds. */
    public int registrationCount() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many observations the store holds. */
    public int observationCount() {
        lock.readLock().lock();
        try {
            return observations.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Deregistration removeRegistration(String registrationId) {
        lock.writeLock().lock();
        try {
            Registration registration = byId.get(registrationId);
            if (registration == null) {
                return null;
            }
            Collection<Observation> removed = removeObservationsOf(registrationId);
            unindex(registration);
            persistedUpdate.remove(registrationId);
            journal.record(new DeleteRegistration(registrationId));
            return new Deregistration(registration, removed);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- Leshan observations

    /** Returns the observations this one replaces (same registration, same path or paths, other token). */
    @Override
    public Collection<Observation> addObservation(String registrationId, Observation observation) {
        lock.writeLock().lock();
        try {
            List<Observation> replaced = new ArrayList<>();
            for (Observation existing : observationsOf(registrationId)) {
                if (samePaths(existing, observation) && !Arrays.equals(existing.getId(), observation.getId())) {
                    removeObservation(new Token(existing.getId()));
                    replaced.add(existing);
                }
            }
            return replaced;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static boolean samePaths(Observation a, Observation b) {
        if (a instanceof SingleObservation single && b instanceof SingleObservation other) {
            return single.getPath().equals(other.getPath());
        }
        if (a instanceof CompositeObservation composite && b instanceof CompositeObservation other) {
            return composite.getPaths().equals(other.getPaths());
        }
        return false;
    }

    @Override
    public Observation getObservation(String registrationId, byte[] observationId) {
        lock.readLock().lock();
        StoredObservation stored;
        try {
            stored = observations.get(new Token(observationId));
        } finally {
            lock.readLock().unlock();
        }
        return stored == null || !stored.registrationId().equals(registrationId) ? null : toLeshan(stored);
    }

    @Override
    public Collection<Observation> getObservations(String registrationId) {
        lock.readLock().lock();
        try {
            return observationsOf(registrationId);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Observation removeObservation(String registrationId, byte[] observationId) {
        lock.writeLock().lock();
        try {
            Token token = new Token(observationId);
            StoredObservation stored = observations.get(token);
            if (stored == null || !stored.registrationId().equals(registrationId)) {
                return null;
            }
            removeObservation(token);
            return toLeshan(stored);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Collection<Observation> removeObservations(String registrationId) {
        lock.writeLock().lock();
        try {
            return removeObservationsOf(registrationId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- Californium ObservationStore

    @Override
    public org.eclipse.californium.core.observe.Observation putIfAbsent(Token token,
            org.eclipse.californium.core.observe.Observation observation) {
        return add(token, observation, true);
    }

    @Override
    public org.eclipse.californium.core.observe.Observation put(Token token,
            org.eclipse.californium.core.observe.Observation observation) {
        return add(token, observation, false);
    }

    private org.eclipse.californium.core.observe.Observation add(Token token,
            org.eclipse.californium.core.observe.Observation observation, boolean ifAbsent) {
        if (observation == null) {
            return null;
        }
        ObserveUtil.validateCoapObservation(observation);
        String registrationId = ObserveUtil.extractRegistrationId(observation);
        byte[] encoded = ObservationCodec.encode(observation);
        lock.writeLock().lock();
        try {
            Registration owner = byId.get(registrationId);
            if (owner == null) {
                throw new ObservationStoreException("no registration " + registrationId + " for this observation");
            }
            StoredObservation previous = observations.get(token);
            if (ifAbsent && previous != null) {
                return ObservationCodec.decode(previous.encoded());
            }
            if (previous != null) {
                LOG.warn("token collision: observation {} replaces one of registration {}", token,
                        previous.registrationId());
                unindexObservation(token, previous);
            }
            StoredObservation stored = new StoredObservation(owner.getId(), encoded);
            indexObservation(token, stored);
            journal.record(new PutObservation(token.getAsString(), owner.getId(), encoded, clock.instant()));
            return previous == null ? null : ObservationCodec.decode(previous.encoded());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Called for every notification: decodes the stored observation, no database access. */
    @Override
    public org.eclipse.californium.core.observe.Observation get(Token token) {
        StoredObservation stored;
        lock.readLock().lock();
        try {
            stored = observations.get(token);
        } finally {
            lock.readLock().unlock();
        }
        return stored == null ? null : ObservationCodec.decode(stored.encoded());
    }

    @Override
    public void setContext(Token token, EndpointContext context) {
        lock.writeLock().lock();
        try {
            StoredObservation stored = observations.get(token);
            if (stored == null) {
                return;
            }
            org.eclipse.californium.core.observe.Observation observation = ObservationCodec.decode(stored.encoded());
            byte[] encoded = ObservationCodec.encode(
                    new org.eclipse.californium.core.observe.Observation(observation.getRequest(), context));
            observations.put(token, new StoredObservation(stored.registrationId(), encoded));
            journal.record(new PutObservation(token.getAsString(), stored.registrationId(), encoded, clock.instant()));
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void remove(Token token) {
        lock.writeLock().lock();
        try {
            removeObservation(token);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void setExecutor(ScheduledExecutorService executor) {
        // the store runs its own journal and expiry threads
    }

    // ---------------------------------------------------------------- lifecycle and expiry

    @Override
    public void setExpirationListener(ExpirationListener listener) {
        this.expirationListener = listener;
    }

    /** Starts looking for expired registrations. Called by Leshan and by Californium's endpoint; idempotent. */
    @Override
    public synchronized void start() {
        if (destroyed || expiryTask != null) {
            return;
        }
        long period = settings.expiryPeriod().toMillis();
        expiryTask = expiry.scheduleAtFixedRate(this::expireRegistrations, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops expiring and writes every pending change. Called by Leshan and by Californium's endpoint; idempotent. */
    @Override
    public synchronized void stop() {
        if (expiryTask != null) {
            expiryTask.cancel(false);
            expiryTask = null;
        }
        if (!destroyed && !journal.flush(Duration.ofSeconds(30))) {
            LOG.error("registration store stopped with {} changes not yet written to the database", journal.backlog());
        }
    }

    @Override
    public synchronized void destroy() {
        if (destroyed) {
            return;
        }
        stop();
        destroyed = true;
        expiry.shutdownNow();
        journal.close();
    }

    /**
     * Writes every change recorded so far and waits for it.
     *
     * @return {@code false} if that did not happen within the timeout
     */
    public boolean flush(Duration timeout) {
        return journal.flush(timeout);
    }

    /** Journal counters, for metrics. */
    public Stats stats() {
        RegistrationJournal.Stats journalStats = journal.stats();
        return new Stats(registrationCount(), observationCount(), journalStats.backlog(), journalStats.flushes(),
                journalStats.rowsWritten(), journalStats.failures());
    }

    /** What the store holds and how its journal keeps up. */
    public record Stats(int registrations, int observations, int journalBacklog, long journalFlushes,
            long journalRowsWritten, long journalFailures) {
    }

    /** Expires registrations whose lifetime (plus the touch interval as grace) has passed. Runs on its own thread. */
    void expireRegistrations() {
        try {
            long grace = settings.touchInterval().toSeconds();
            List<Registration> expired = new ArrayList<>();
            lock.readLock().lock();
            try {
                long now = clock.millis();
                for (Registration registration : byId.values()) {
                    if (registration.getExpirationTimeStamp(grace) <= now) {
                        expired.add(registration);
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
            for (Registration registration : expired) {
                Deregistration removed = removeRegistration(registration.getId());
                ExpirationListener listener = expirationListener;
                if (removed != null && listener != null) {
                    listener.registrationExpired(removed.getRegistration(), removed.getObservations());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("looking for expired registrations failed; trying again in {} ms",
                    settings.expiryPeriod().toMillis(), e);
        }
    }

    // ---------------------------------------------------------------- index helpers (write lock held)

    private void persist(Registration registration) {
        persistedUpdate.put(registration.getId(), registration.getLastUpdate().getTime());
        journal.record(new PutRegistration(registration));
    }

    private void index(Registration registration) {
        byEndpoint.put(registration.getEndpoint(), registration);
        byId.put(registration.getId(), registration);
        // the most recent registration wins an address or identity, as in Leshan's in-memory store
        byAddress.put(registration.getSocketAddress(), registration);
        byIdentity.put(registration.getIdentity(), registration);
    }

    private void unindex(Registration registration) {
        byEndpoint.remove(registration.getEndpoint(), registration);
        byId.remove(registration.getId(), registration);
        byAddress.remove(registration.getSocketAddress(), registration);
        byIdentity.remove(registration.getIdentity(), registration);
    }

    private void indexObservation(Token token, StoredObservation stored) {
        observations.put(token, stored);
        tokensByRegistration.computeIfAbsent(stored.registrationId(), id -> new HashSet<>(8)).add(token);
    }

    private void unindexObservation(Token token, StoredObservation stored) {
        observations.remove(token);
        Set<Token> tokens = tokensByRegistration.get(stored.registrationId());
        if (tokens != null) {
            tokens.remove(token);
            if (tokens.isEmpty()) {
                tokensByRegistration.remove(stored.registrationId());
            }
        }
    }

    private void removeObservation(Token token) {
        StoredObservation stored = observations.get(token);
        if (stored != null) {
            unindexObservation(token, stored);
            journal.record(new DeleteObservation(token.getAsString()));
        }
    }

    private Collection<Observation> removeObservationsOf(String registrationId) {
        Set<Token> tokens = tokensByRegistration.remove(registrationId);
        if (tokens == null) {
            return List.of();
        }
        List<Observation> removed = new ArrayList<>(tokens.size());
        for (Token token : tokens) {
            StoredObservation stored = observations.remove(token);
            if (stored != null) {
                removed.add(toLeshan(stored));
            }
        }
        // the registration's rows go with a DeleteRegistration, or with this per-token delete on a replacement
        for (Token token : tokens) {
            journal.record(new DeleteObservation(token.getAsString()));
        }
        return removed;
    }

    private List<Observation> observationsOf(String registrationId) {
        Set<Token> tokens = tokensByRegistration.get(registrationId);
        if (tokens == null) {
            return List.of();
        }
        List<Observation> result = new ArrayList<>(tokens.size());
        for (Token token : tokens) {
            StoredObservation stored = observations.get(token);
            if (stored != null) {
                result.add(toLeshan(stored));
            }
        }
        return result;
    }

    private static Observation toLeshan(StoredObservation stored) {
        org.eclipse.californium.core.observe.Observation observation = ObservationCodec.decode(stored.encoded());
        CoAP.Code code = observation.getRequest().getCode();
        if (code == CoAP.Code.GET) {
            return ObserveUtil.createLwM2mObservation(observation.getRequest());
        }
        if (code == CoAP.Code.FETCH) {
            return ObserveUtil.createLwM2mCompositeObservation(observation.getRequest());
        }
        throw new IllegalStateException("an observe request is a GET or a FETCH, not " + code);
    }
}
