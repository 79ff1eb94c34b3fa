package org.orbis.server.registration.store;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresRegistrationStoreTest extends RegistrationStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
