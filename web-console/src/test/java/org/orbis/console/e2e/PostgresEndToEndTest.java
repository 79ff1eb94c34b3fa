package org.orbis.console.e2e;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

/** The end-to-end contract on a real PostgreSQL server (embedded from Maven artifacts). */
class PostgresEndToEndTest extends EndToEndContract {

    @Override
    DatabaseSettings database() {
        return TestDatabases.postgres();
    }
}
