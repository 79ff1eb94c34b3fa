package org.orbis.world.commands;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2CommandStoreTest extends CommandStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.h2();
    }
}
