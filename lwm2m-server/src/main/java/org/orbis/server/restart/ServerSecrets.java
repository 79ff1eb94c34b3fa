package org.orbis.server.restart;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.orbis.world.store.Database;
import org.orbis.world.store.StoreException;

/**
 * Random secrets a server creates once and keeps in the database beside the data they protect (table
 * {@code server_secret}). They are as safe as the database, which already holds every device's keys.
 */
public final class ServerSecrets {

    private final Database database;
    private final SecureRandom random = new SecureRandom();

    public ServerSecrets(Database database) {
        this.database = database;
    }

    /** The AES key called {@code name}, created with {@code bits} random bits on first use. */
    public SecretKey aesKey(String name, int bits) {
        byte[] secret = getOrCreate(name, bits / 8);
        return new SecretKeySpec(secret, "AES");
    }

    private byte[] getOrCreate(String name, int bytes) {
        byte[] existing = read(name);
        if (existing != null) {
            return existing;
        }
        byte[] created = new byte[bytes];
        random.nextBytes(created);
        try {
            database.inTransaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO server_secret (name, secret_hex, created_at) VALUES (?, ?, ?)")) {
                    statement.setString(1, name);
                    statement.setString(2, HexFormat.of().formatHex(created));
                    statement.setObject(3, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
                    statement.executeUpdate();
                }
                return null;
            });
            return created;
        } catch (StoreException e) {
            // another server created it first
            byte[] raced = read(name);
            if (raced == null) {
                throw e;
            }
            return raced;
        }
    }

    private byte[] read(String name) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT secret_hex FROM server_secret WHERE name = ?")) {
                statement.setString(1, name);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? HexFormat.of().parseHex(rs.getString(1)) : null;
                }
            }
        });
    }
}
