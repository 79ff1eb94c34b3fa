package org.orbis.world.commands;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresCommandStoreTest extends CommandStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
