package org.orbis.console.world;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2SharedWorldTest extends SharedWorldContract {

    private final DatabaseSettings database = TestDatabases.h2();

    @Override
    DatabaseSettings database() {
        return database;
    }
}
