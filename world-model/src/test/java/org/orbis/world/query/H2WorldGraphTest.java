package org.orbis.world.query;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2WorldGraphTest extends WorldGraphContract {

    private final DatabaseSettings settings = TestDatabases.h2();

    @Override
    DatabaseSettings settings() {
        return settings;
    }
}
