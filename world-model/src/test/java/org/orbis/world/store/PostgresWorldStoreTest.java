package org.orbis.world.store;

import org.orbis.world.testing.TestDatabases;

class PostgresWorldStoreTest extends WorldStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
