package org.orbis.world.access;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2AccessStoreTest extends AccessStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.h2();
    }
}
