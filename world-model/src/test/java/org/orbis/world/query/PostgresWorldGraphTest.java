package org.orbis.world.query;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresWorldGraphTest extends WorldGraphContract {

    private final DatabaseSettings settings = TestDatabases.postgres();

    @Override
    DatabaseSettings settings() {
        return settings;
    }
}
