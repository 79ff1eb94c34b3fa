package org.orbis.world.credentials;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.Database;
import org.orbis.world.store.DeviceRows;
import org.orbis.world.store.StoreException;
import org.orbis.world.store.WorldStore;

/** JDBC storage of device credentials; thread-safe. */
public final class CredentialStore {

    /** SQLSTATE of a unique-constraint violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "endpoint, purpose, psk_identity, psk_key_hex";

    private final Database database;
    private final Clock clock;

    public CredentialStore(WorldStore world) {
        this.database = world.database();
        this.clock = world.clock();
    }

    /**
     * Creates a device (state {@code never}) with all its credentials in one transaction: either the device exists
     * afterwards with every credential, or nothing changed.
     *
     * @throws DuplicateCredentialException if the endpoint or one of the PSK identities is taken
     */
    public void provision(String endpoint, List<PskCredential> credentials) {
        NodeKey.requireValidEndpoint(endpoint);
        for (PskCredential credential : credentials) {
            if (!credential.endpoint().equals(endpoint)) {
                throw new IllegalArgumentException("credential for '" + credential.endpoint() + "' given for '" + endpoint + "'");
            }
        }
        try {
            insert(endpoint, credentials);
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                // a concurrent provisioning took the endpoint or an identity between our checks and our insert
                throw new DuplicateCredentialException("endpoint '" + endpoint + "' or one of its PSK identities "
                        + "was provisioned at the same moment by another request");
            }
            throw e;
        }
    }

    private void insert(String endpoint, List<PskCredential> credentials) {
        database.inTransaction(connection -> {
            if (exists(connection, "SELECT 1 FROM device WHERE endpoint = ?", endpoint)) {
                throw new DuplicateCredentialException("a device with endpoint '" + endpoint + "' already exists");
            }
            for (PskCredential credential : credentials) {
                if (exists(connection, "SELECT 1 FROM security_credential WHERE purpose = ? AND psk_identity = ?",
                        credential.purpose().name(), credential.identity())) {
                    throw new DuplicateCredentialException("PSK identity '" + credential.identity() + "' is already used by "
                            + "another device for the " + credential.purpose().name().toLowerCase(java.util.Locale.ROOT) + " server");
                }
            }
            DeviceRows.insertNew(connection, List.of(endpoint), clock.instant());
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO security_credential ("
                    + COLUMNS + ", mode, created_at) VALUES (?, ?, ?, ?, 'psk', ?)")) {
                for (PskCredential credential : credentials) {
                    statement.setString(1, endpoint);
                    statement.setString(2, credential.purpose().name());
                    statement.setString(3, credential.identity());
                    statement.setString(4, credential.keyHex());
                    statement.setObject(5, OffsetDateTime.now(clock));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    public Optional<PskCredential> findByIdentity(CredentialPurpose purpose, String pskIdentity) {
        return findOne("purpose = ? AND psk_identity = ?", purpose.name(), pskIdentity);
    }

    public Optional<PskCredential> findByEndpoint(CredentialPurpose purpose, String endpoint) {
        return findOne("purpose = ? AND endpoint = ?", purpose.name(), endpoint);
    }

    private Optional<PskCredential> findOne(String where, String first, String second) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM security_credential WHERE " + where)) {
                statement.setString(1, first);
                statement.setString(2, second);
                try (ResultSet rs = statement.executeQuery()) {
                    List<PskCredential> found = new ArrayList<>(1);
                    while (rs.next()) {
                        found.add(new PskCredential(rs.getString(1), CredentialPurpose.valueOf(rs.getString(2)),
                                rs.getString(3), HexFormat.of().parseHex(rs.getString(4))));
                    }
                    return found.stream().findFirst();
                }
            }
        });
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
