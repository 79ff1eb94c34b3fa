package org.orbis.world.credentials;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.Database;
import org.orbis.world.store.DeviceRows;
import org.orbis.world.store.StoreException;
import org.orbis.world.store.WorldStore;

/**
 * JDBC storage of device credentials in all three DTLS modes, their revocation, and the security audit log;
 * thread-safe. Secrets go through a {@link SecretSealer}, so with a master key they are encrypted at rest.
 */
public final class CredentialStore {

    /** SQLSTATE of a unique-constraint violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "endpoint, purpose, mode, psk_identity, psk_key_hex, secret_sealed, "
            + "public_key_hex, certificate_pem, revoked_at";

    private final Database database;
    private final Clock clock;
    private final SecretSealer sealer;
    private final List<CredentialListener> listeners = new CopyOnWriteArrayList<>();

    /** A store that keeps secrets unsealed (tests, tools); the platform uses {@link #CredentialStore(WorldStore, SecretSealer)}. */
    public CredentialStore(WorldStore world) {
        this(world, SecretSealer.plaintext());
    }

    public CredentialStore(WorldStore world, SecretSealer sealer) {
        this.database = world.database();
        this.clock = world.clock();
        this.sealer = sealer;
    }

    public void addListener(CredentialListener listener) {
        listeners.add(listener);
    }

    /**
     * Creates a device (state {@code never}) with all its PSK credentials in one transaction.
     *
     * @throws DuplicateCredentialException if the endpoint or one of the PSK identities is taken
     */
    public void provision(String endpoint, List<PskCredential> credentials) {
        provisionDevice(endpoint, credentials.stream().map(DeviceCredential::psk).toList());
    }

    /**
     * Creates a device (state {@code never}) with all its credentials, of any mode, in one transaction: either the
     * device exists afterwards with every credential, or nothing changed.
     *
     * @throws DuplicateCredentialException if the endpoint, a PSK identity or a public key is taken
     */
    public void provisionDevice(String endpoint, List<DeviceCredential> credentials) {
        NodeKey.requireValidEndpoint(endpoint);
        for (DeviceCredential credential : credentials) {
            if (!credential.endpoint().equals(endpoint)) {
                throw new IllegalArgumentException("credential for '" + credential.endpoint() + "' given for '" + endpoint + "'");
            }
        }
        uniquely(endpoint, () -> database.inTransaction(connection -> {
            if (exists(connection, "SELECT 1 FROM device WHERE endpoint = ?", endpoint)) {
                throw new DuplicateCredentialException("a device with endpoint '" + endpoint + "' already exists");
            }
            for (DeviceCredential credential : credentials) {
                requireUnused(connection, credential);
            }
            DeviceRows.insertNew(connection, List.of(endpoint), clock.instant());
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO security_credential (endpoint, "
                    + "purpose, mode, psk_identity, secret_sealed, public_key_hex, certificate_pem, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (DeviceCredential credential : credentials) {
                    statement.setString(1, endpoint);
                    statement.setString(2, credential.purpose().name());
                    bindCredential(statement, 3, credential);
                    statement.setObject(8, OffsetDateTime.now(clock));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            audit(connection, endpoint, AuditEntry.PROVISIONED, describe(credentials));
            return null;
        }));
    }

    /**
     * Replaces the device's credential for {@code replacement.purpose()} (rotation): the old one stops working as
     * soon as this returns, and listeners hear that it was withdrawn.
     *
     * @return the credential that was replaced
     * @throws IllegalArgumentException if the device has no credential for that purpose
     * @throws DuplicateCredentialException if the new PSK identity or public key belongs to another device
     */
    public DeviceCredential rotate(DeviceCredential replacement) {
        DeviceCredential old = rotateKeepingSessions(replacement);
        withdraw(List.of(old), "rotated");
        return old;
    }

    /**
     * Like {@link #rotate} but without telling listeners yet: sessions established with the old credential stay up
     * until {@link #withdraw} is called, so that the new credential can still be delivered over them.
     */
    public DeviceCredential rotateKeepingSessions(DeviceCredential replacement) {
        String endpoint = replacement.endpoint();
        DeviceCredential old = uniquely(endpoint, () -> database.inTransaction(connection -> {
            DeviceCredential current = select(connection, "endpoint = ? AND purpose = ?", endpoint,
                    replacement.purpose().name()).stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "device '" + endpoint + "' has no " + label(replacement.purpose()) + " credential to rotate"));
            requireUnused(connection, replacement);
            try (PreparedStatement statement = connection.prepareStatement("UPDATE security_credential SET mode = ?, "
                    + "psk_identity = ?, secret_sealed = ?, public_key_hex = ?, certificate_pem = ?, psk_key_hex = NULL, "
                    + "rotated_at = ? WHERE endpoint = ? AND purpose = ?")) {
                bindCredential(statement, 1, replacement);
                statement.setObject(6, OffsetDateTime.now(clock));
                statement.setString(7, endpoint);
                statement.setString(8, replacement.purpose().name());
                statement.executeUpdate();
            }
            audit(connection, endpoint, AuditEntry.ROTATED, label(replacement.purpose()) + " credential "
                    + current.mode().label() + " -> " + replacement.mode().label()
                    + (replacement.pskIdentity() == null ? "" : " (PSK identity '" + replacement.pskIdentity() + "')"));
            return current;
        }));
        return old;
    }

    /** Tells listeners that these credentials no longer hold, so servers drop the sessions made with them. */
    public void withdraw(List<DeviceCredential> withdrawn, String reason) {
        listeners.forEach(listener -> listener.credentialsWithdrawn(withdrawn, reason));
    }

    /**
     * Revokes every credential of the device: it can no longer bootstrap or register, and listeners drop its live
     * sessions. Revoking a revoked device changes nothing.
     *
     * @return the credentials that were revoked now (empty if none or already revoked)
     */
    public List<DeviceCredential> revoke(String endpoint, String reason) {
        Instant now = clock.instant();
        List<DeviceCredential> revoked = database.inTransaction(connection -> {
            List<DeviceCredential> active = select(connection, "endpoint = ? AND revoked_at IS NULL", endpoint);
            if (active.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE security_credential SET revoked_at = ? WHERE endpoint = ? AND revoked_at IS NULL")) {
                statement.setObject(1, now.atOffset(ZoneOffset.UTC));
                statement.setString(2, endpoint);
                statement.executeUpdate();
            }
            audit(connection, endpoint, AuditEntry.REVOKED, reason == null || reason.isBlank() ? "revoked" : reason);
            return active.stream().map(credential -> credential.withRevokedAt(now)).toList();
        });
        if (!revoked.isEmpty()) {
            listeners.forEach(listener -> listener.credentialsWithdrawn(revoked, "revoked"));
        }
        return revoked;
    }

    /** The device's credential for a purpose, revoked or not. */
    public Optional<DeviceCredential> credential(CredentialPurpose purpose, String endpoint) {
        return database.read(connection -> select(connection, "purpose = ? AND endpoint = ?", purpose.name(), endpoint))
                .stream().findFirst();
    }

    /** The PSK credential with this identity, revoked or not. */
    public Optional<DeviceCredential> credentialByPskIdentity(CredentialPurpose purpose, String pskIdentity) {
        return database.read(connection -> select(connection, "purpose = ? AND mode = 'psk' AND psk_identity = ?",
                purpose.name(), pskIdentity)).stream().findFirst();
    }

    /** The RPK credential with this public key (SubjectPublicKeyInfo DER), revoked or not. */
    public Optional<DeviceCredential> credentialByPublicKey(CredentialPurpose purpose, byte[] publicKey) {
        return database.read(connection -> select(connection, "purpose = ? AND public_key_hex = ?", purpose.name(),
                HexFormat.of().formatHex(publicKey))).stream().findFirst();
    }

    /** The active (not revoked) PSK credential with this identity. */
    public Optional<PskCredential> findByIdentity(CredentialPurpose purpose, String pskIdentity) {
        return credentialByPskIdentity(purpose, pskIdentity).filter(c -> !c.isRevoked()).map(DeviceCredential::toPsk);
    }

    /** The device's active credential for a purpose if it is a PSK. */
    public Optional<PskCredential> findByEndpoint(CredentialPurpose purpose, String endpoint) {
        return credential(purpose, endpoint).filter(c -> !c.isRevoked() && c.mode() == CredentialMode.PSK)
                .map(DeviceCredential::toPsk);
    }

    /** Audit entries, oldest first, after {@code afterId}; of one device or (endpoint {@code null}) of all. */
    public List<AuditEntry> auditLog(String endpoint, long afterId, int limit) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, occurred_at, endpoint, action, "
                    + "detail FROM security_audit WHERE id > ?" + (endpoint == null ? "" : " AND endpoint = ?")
                    + " ORDER BY id LIMIT ?")) {
                int i = 1;
                statement.setLong(i++, afterId);
                if (endpoint != null) {
                    statement.setString(i++, endpoint);
                }
                statement.setInt(i, limit);
                try (ResultSet rs = statement.executeQuery()) {
                    List<AuditEntry> entries = new ArrayList<>();
                    while (rs.next()) {
                        entries.add(new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                    return entries;
                }
            }
        });
    }

    /**
     * Seals every secret still stored in the clear (rows from before a master key was configured, or from before
     * V3), so that once a master key is in use no secret stays readable in the database.
     *
     * @return how many secrets were sealed now
     */
    public int sealPlainSecrets() {
        if (!sealer.encrypts()) {
            return 0;
        }
        return database.inTransaction(connection -> {
            List<String[]> plain = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT endpoint, purpose, psk_key_hex, "
                    + "secret_sealed FROM security_credential WHERE psk_key_hex IS NOT NULL OR secret_sealed LIKE ?")) {
                statement.setString(1, SecretSealer.PLAIN_PREFIX + "%");
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String sealed = rs.getString(4);
                        byte[] secret = sealed != null ? sealer.open(sealed) : HexFormat.of().parseHex(rs.getString(3));
                        plain.add(new String[] {rs.getString(1), rs.getString(2), sealer.seal(secret)});
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("UPDATE security_credential SET "
                    + "secret_sealed = ?, psk_key_hex = NULL WHERE endpoint = ? AND purpose = ?")) {
                for (String[] row : plain) {
                    statement.setString(1, row[2]);
                    statement.setString(2, row[0]);
                    statement.setString(3, row[1]);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return plain.size();
        });
    }

    /** Checks that every stored secret opens with this store's sealer; fails with the sealer's message if not. */
    public void verifySecretsOpen() {
        database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT secret_sealed FROM security_credential WHERE secret_sealed IS NOT NULL");
                    ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    sealer.open(rs.getString(1));
                }
            }
            return null;
        });
    }

    private void requireUnused(Connection connection, DeviceCredential credential) throws SQLException {
        String purpose = credential.purpose().name();
        if (credential.mode() == CredentialMode.PSK && exists(connection, "SELECT 1 FROM security_credential WHERE "
                + "purpose = ? AND psk_identity = ? AND endpoint <> ?", purpose, credential.pskIdentity(), credential.endpoint())) {
            throw new DuplicateCredentialException("PSK identity '" + credential.pskIdentity() + "' is already used by "
                    + "another device for the " + label(credential.purpose()) + " server");
        }
        if (credential.mode() == CredentialMode.RPK && exists(connection, "SELECT 1 FROM security_credential WHERE "
                + "purpose = ? AND public_key_hex = ? AND endpoint <> ?", purpose,
                HexFormat.of().formatHex(credential.publicKey()), credential.endpoint())) {
            throw new DuplicateCredentialException("this public key is already used by another device for the "
                    + label(credential.purpose()) + " server");
        }
    }

    /** Binds mode, psk_identity, secret_sealed, public_key_hex, certificate_pem from {@code first} on. */
    private void bindCredential(PreparedStatement statement, int first, DeviceCredential credential) throws SQLException {
        statement.setString(first, credential.mode().label());
        statement.setString(first + 1, credential.pskIdentity());
        byte[] secret = credential.secret();
        if (secret == null) {
            statement.setNull(first + 2, Types.VARCHAR);
        } else {
            statement.setString(first + 2, sealer.seal(secret));
        }
        statement.setString(first + 3, credential.mode() == CredentialMode.RPK
                ? HexFormat.of().formatHex(credential.publicKey()) : null);
        statement.setString(first + 4, credential.certificate() == null ? null : pem(credential.certificate()));
    }

    private List<DeviceCredential> select(Connection connection, String where, String... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM security_credential WHERE " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<DeviceCredential> found = new ArrayList<>(1);
                while (rs.next()) {
                    found.add(row(rs));
                }
                return found;
            }
        }
    }

    private DeviceCredential row(ResultSet rs) throws SQLException {
        CredentialMode mode = CredentialMode.fromLabel(rs.getString(3));
        String sealed = rs.getString(6);
        byte[] secret = sealed != null ? sealer.open(sealed)
                : rs.getString(5) != null ? HexFormat.of().parseHex(rs.getString(5)) : null;
        byte[] certificate = rs.getString(8) == null ? null : der(rs.getString(8));
        byte[] publicKey = rs.getString(7) != null ? HexFormat.of().parseHex(rs.getString(7)) : null;
        Timestamp revoked = rs.getTimestamp(9);
        return new DeviceCredential(rs.getString(1), CredentialPurpose.valueOf(rs.getString(2)), mode, rs.getString(4),
                secret, publicKey, certificate, revoked == null ? null : revoked.toInstant());
    }

    private void audit(Connection connection, String endpoint, String action, String detail) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO security_audit (occurred_at, endpoint, action, detail) VALUES (?, ?, ?, ?)")) {
            statement.setObject(1, OffsetDateTime.now(clock));
            statement.setString(2, endpoint);
            statement.setString(3, action);
            statement.setString(4, detail.length() > 1000 ? detail.substring(0, 1000) : detail);
            statement.executeUpdate();
        }
    }

    private <T> T uniquely(String endpoint, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                // a concurrent request took the endpoint, an identity or a key between our checks and our write
                throw new DuplicateCredentialException("endpoint '" + endpoint + "' or one of its PSK identities or "
                        + "public keys was provisioned at the same moment by another request");
            }
            throw e;
        }
    }

    private static String describe(List<DeviceCredential> credentials) {
        StringBuilder text = new StringBuilder();
        for (DeviceCredential credential : credentials) {
            text.append(text.isEmpty() ? "" : ", ").append(label(credential.purpose())).append(' ')
                    .append(credential.mode().label());
            if (credential.pskIdentity() != null) {
                text.append(" (PSK identity '").append(credential.pskIdentity()).append("')");
            }
        }
        return text.toString();
    }

    private static String label(CredentialPurpose purpose) {
        return purpose.name().toLowerCase(Locale.ROOT);
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    private static byte[] der(String pem) {
        String body = pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "");
        return Base64.getMimeDecoder().decode(body);
    }

    private static boolean exists(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }
}
