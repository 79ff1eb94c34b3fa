package org.orbis.world.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.orbis.world.store.Database;
import org.orbis.world.store.StoreException;

/**
 * Firmware packages in the database: metadata in {@code firmware_image}, bytes in 64 KiB chunks in
 * {@code firmware_chunk}, so every node of a cluster serves the same images. An upload is streamed into the database
 * in one transaction while its SHA-256 is computed; it is committed only if the size limit holds and the digest
 * matches the one the uploader gave. Thread-safe.
 */
public final class FirmwareStore {

    static final int CHUNK_BYTES = 64 * 1024;
    private static final String COLUMNS = "id, model, version, name, size_bytes, sha256, created_at";

    private final Database database;
    private final java.time.Clock clock;

    public FirmwareStore(Database database, java.time.Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Streams a package into the database.
     *
     * @param maxBytes the largest package accepted
     * @throws FirmwareRejectedException if it is empty, too large, does not match its SHA-256, or the model and version
     *         exist already; nothing is stored then
     * @throws UncheckedIOException if reading the content fails
     */
    public FirmwareImage store(NewImage image, InputStream content, long maxBytes) {
        try {
            return database.inTransaction(connection -> {
                if (find(connection, "SELECT " + COLUMNS + " FROM firmware_image WHERE model = ? AND version = ?",
                        image.model(), image.version()).isPresent()) {
                    throw duplicate(image);
                }
                Instant now = clock.instant();
                long id = insertImage(connection, image, now);
                MessageDigest digest = sha256();
                long size = 0;
                int seq = 0;
                byte[] buffer = new byte[CHUNK_BYTES];
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO firmware_chunk (image_id, seq, data) VALUES (?, ?, ?)")) {
                    int filled;
                    while ((filled = read(content, buffer)) > 0) {
                        size += filled;
                        if (size > maxBytes) {
                            throw new FirmwareRejectedException(FirmwareRejectedException.Reason.TOO_LARGE,
                                    "the package is larger than the limit of " + maxBytes + " bytes");
                        }
                        digest.update(buffer, 0, filled);
                        insert.setLong(1, id);
                        insert.setInt(2, seq++);
                        insert.setBytes(3, java.util.Arrays.copyOf(buffer, filled));
                        insert.executeUpdate();
                    }
                }
                if (size == 0) {
                    throw new FirmwareRejectedException(FirmwareRejectedException.Reason.EMPTY, "the package is empty");
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(image.sha256())) {
                    throw new FirmwareRejectedException(FirmwareRejectedException.Reason.MISMATCH, "the " + size
                            + " bytes received have SHA-256 " + actual + ", not " + image.sha256()
                            + " as the upload says: the package was damaged or is not the one meant");
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE firmware_image SET size_bytes = ?, sha256 = ? WHERE id = ?")) {
                    update.setLong(1, size);
                    update.setString(2, actual);
                    update.setLong(3, id);
                    update.executeUpdate();
                }
                return new FirmwareImage(id, image.model(), image.version(), image.name(), size, actual, now);
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                throw duplicate(image);
            }
            throw e;
        }
    }

    private static int read(InputStream content, byte[] buffer) {
        try {
            return content.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the uploaded package failed: " + e.getMessage(), e);
        }
    }

    public Optional<FirmwareImage> image(long id) {
        return database.read(connection -> find(connection, "SELECT " + COLUMNS + " FROM firmware_image WHERE id = ?", id));
    }

    public List<FirmwareImage> images() {
        return database.read(connection -> all(connection, "SELECT " + COLUMNS + " FROM firmware_image ORDER BY id"));
    }

    /** The whole package, or empty if there is no such image. */
    public Optional<byte[]> content(long id) {
        return database.read(connection -> {
            if (find(connection, "SELECT " + COLUMNS + " FROM firmware_image WHERE id = ?", id).isEmpty()) {
                return Optional.empty();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT data FROM firmware_chunk WHERE image_id = ? ORDER BY seq")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.writeBytes(rs.getBytes(1));
                    }
                }
            }
            return Optional.of(out.toByteArray());
        });
    }

    /**
     * Deletes an image no campaign uses (a campaign keeps its image, for the record).
     *
     * @return whether there was such an image
     * @throws FirmwareRejectedException if a campaign uses it
     */
    public boolean delete(long id) {
        return database.inTransaction(connection -> {
            try (PreparedStatement used = connection.prepareStatement(
                    "SELECT id, state FROM firmware_campaign WHERE image_id = ? ORDER BY id")) {
                used.setLong(1, id);
                try (ResultSet rs = used.executeQuery()) {
                    if (rs.next()) {
                        throw new FirmwareRejectedException(FirmwareRejectedException.Reason.IN_USE, "image " + id
                                + " is used by campaign " + rs.getLong(1) + " (" + rs.getString(2).toLowerCase(
                                        java.util.Locale.ROOT) + "); campaigns keep their image for the record");
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM firmware_image WHERE id = ?")) {
                delete.setLong(1, id);
                return delete.executeUpdate() > 0;
            }
        });
    }

    private static long insertImage(Connection connection, NewImage image, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO firmware_image (model, version, name, "
                + "size_bytes, sha256, created_at) VALUES (?, ?, ?, 0, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, image.model());
            insert.setString(2, image.version());
            insert.setString(3, image.name());
            insert.setString(4, image.sha256());
            insert.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new StoreException("the database returned no id for the new image");
                }
                return keys.getLong(1);
            }
        }
    }

    private static FirmwareRejectedException duplicate(NewImage image) {
        return new FirmwareRejectedException(FirmwareRejectedException.Reason.DUPLICATE, "an image of model '"
                + image.model() + "' version '" + image.version() + "' exists already; versions are immutable");
    }

    private static Optional<FirmwareImage> find(Connection connection, String sql, Object... parameters)
            throws SQLException {
        return all(connection, sql, parameters).stream().findFirst();
    }

    private static List<FirmwareImage> all(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<FirmwareImage> images = new ArrayList<>();
                while (rs.next()) {
                    OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
                    images.add(new FirmwareImage(rs.getLong("id"), rs.getString("model"), rs.getString("version"),
                            rs.getString("name"), rs.getLong("size_bytes"), rs.getString("sha256"),
                            created.toInstant()));
                }
                return images;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
