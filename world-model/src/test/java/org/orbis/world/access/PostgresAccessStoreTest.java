package org.orbis.world.access;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresAccessStoreTest extends AccessStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
