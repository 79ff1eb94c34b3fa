package org.orbis.console.world;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresSharedWorldTest extends SharedWorldContract {

    private final DatabaseSettings database = TestDatabases.postgres();

    @Override
    DatabaseSettings database() {
        return database;
    }
}
