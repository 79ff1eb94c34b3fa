package org.orbis.world.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the world model is stored.
 *
 * @param password may be {@code null} or empty; never logged
 * @param maxPoolSize 0 picks the dialect's default
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int maxPoolSize) {

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        SqlDialect.fromJdbcUrl(jdbcUrl);
        if (maxPoolSize < 0) {
            throw new IllegalArgumentException("maxPoolSize must be 0 (default) or positive, was " + maxPoolSize);
        }
    }

    /** The zero-setup default: an embedded H2 database file {@code orbis.mv.db} in {@code dataDir}. */
    public static DatabaseSettings embeddedH2(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve("orbis");
        return new DatabaseSettings("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "orbis", "", 0);
    }

    public static DatabaseSettings of(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(jdbcUrl, user, password, 0);
    }

    public SqlDialect dialect() {
        return SqlDialect.fromJdbcUrl(jdbcUrl);
    }

    /** The URL without credentials or options that could carry secrets, for logs. */
    public String describe() {
        int semicolon = jdbcUrl.indexOf(';');
        int question = jdbcUrl.indexOf('?');
        int cut = semicolon >= 0 ? semicolon : question >= 0 ? question : jdbcUrl.length();
        return jdbcUrl.substring(0, cut);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + ", user=" + user + "]";
    }
}
