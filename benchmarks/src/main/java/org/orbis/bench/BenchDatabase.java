package org.orbis.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.orbis.world.store.DatabaseSettings;
import picocli.CommandLine.Option;

/**
 * The database a benchmark measures against: an external one given with {@code --db}, or an embedded PostgreSQL 17
 * started for the run and stopped by {@link #close()}. A picocli mixin.
 */
final class BenchDatabase implements AutoCloseable {

    @Option(names = "--db", description = "JDBC URL of an external database (default: an embedded PostgreSQL 17). "
            + "Password from ORBIS_DB_PASSWORD.")
    String url;

    @Option(names = "--db-user", defaultValue = "orbis", description = "User for --db (default: ${DEFAULT-VALUE}).")
    String user;

    private EmbeddedPostgres embedded;

    /** The settings to connect with, starting the embedded PostgreSQL if no {@code --db} was given. */
    DatabaseSettings open() throws IOException {
        if (url != null) {
            return DatabaseSettings.of(url, user, System.getenv("ORBIS_DB_PASSWORD"));
        }
        System.out.println("starting embedded PostgreSQL …");
        embedded = EmbeddedPostgres.builder().start();
        return DatabaseSettings.of(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }
}
