package org.orbis.server.registration.store;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2RegistrationStoreTest extends RegistrationStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.h2();
    }
}
