package org.orbis.server.restart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import javax.crypto.SecretKey;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.server.EncryptedServersSerializationUtil;
import org.orbis.world.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a stopping server's DTLS connections to the database and loads them into the next server before it starts
 * (Californium's connection persistence, field notes §7), so that devices carry on with their sessions: no new
 * handshake, no lost notification. The state is encrypted with a key from {@link ServerSecrets}; it is consumed when
 * loaded, so a later crash never brings back sessions older than the ones devices use.
 *
 * <p>Connections are matched by the connector's serialization label, derived from the secure address: the next
 * server must bind the same address, or devices simply handshake again.
 */
public final class ConnectionState {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionState.class);
    private static final String KEY_NAME = "dtls-connection-state";
    private static final int CHUNK_BYTES = 512 * 1024;
    /** Connections quiet for longer than this are not worth saving: their devices have moved on. */
    private static final long MAX_QUIET_SECONDS = 24 * 3600;

    private final Database database;
    private final SecretKey key;

    public ConnectionState(Database database) {
        this.database = database;
        this.key = new ServerSecrets(database).aesKey(KEY_NAME, 128);
    }

    /**
     * Stops {@code server} and saves its connections, replacing any state saved before.
     *
     * @return the number of bytes saved
     */
    public int save(CoapServer server) {
        long started = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        EncryptedServersSerializationUtil util = new EncryptedServersSerializationUtil();
        util.add(server);
        try {
            util.saveServers(out, key, MAX_QUIET_SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("saving the DTLS connections failed", e);
        }
        byte[] state = out.toByteArray();
        Instant now = Instant.now();
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM dtls_connection_state")) {
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO dtls_connection_state (chunk, data, saved_at) VALUES (?, ?, ?)")) {
                for (int chunk = 0, offset = 0; offset < state.length; chunk++, offset += CHUNK_BYTES) {
                    insert.setInt(1, chunk);
                    insert.setBytes(2, Arrays.copyOfRange(state, offset, Math.min(state.length, offset + CHUNK_BYTES)));
                    insert.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        LOG.info("DTLS connections saved for the next start ({} KB encrypted, {} ms)", state.length / 1024,
                (System.nanoTime() - started) / 1_000_000);
        return state.length;
    }

    /**
     * Loads the saved connections into {@code server}, which must not be started yet, and deletes them from the
     * database. A state that cannot be read is logged and dropped: devices then handshake again.
     *
     * @return {@code true} if connections were loaded
     */
    public boolean restore(CoapServer server) {
        byte[] state = database.inTransaction(connection -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT data FROM dtls_connection_state ORDER BY chunk");
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.writeBytes(rs.getBytes(1));
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM dtls_connection_state")) {
                delete.executeUpdate();
            }
            return all.toByteArray();
        });
        if (state.length == 0) {
            return false;
        }
        try {
            EncryptedServersSerializationUtil util = new EncryptedServersSerializationUtil();
            util.add(server);
            util.loadServers(new ByteArrayInputStream(state), key);
            LOG.info("DTLS connections of the previous run restored ({} KB): devices carry on without a handshake",
                    state.length / 1024);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("saved DTLS connections could not be loaded ({}); devices will handshake again", e.toString());
            return false;
        }
    }
}
