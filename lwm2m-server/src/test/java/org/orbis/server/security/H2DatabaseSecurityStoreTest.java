package org.orbis.server.security;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2DatabaseSecurityStoreTest extends DatabaseSecurityStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.h2();
    }
}
