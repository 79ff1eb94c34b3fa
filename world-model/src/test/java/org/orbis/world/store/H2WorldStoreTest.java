package org.orbis.world.store;

import org.orbis.world.testing.TestDatabases;

class H2WorldStoreTest extends WorldStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.h2();
    }
}
