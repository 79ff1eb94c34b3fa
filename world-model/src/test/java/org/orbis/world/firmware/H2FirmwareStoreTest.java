package org.orbis.world.firmware;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2FirmwareStoreTest extends FirmwareStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.h2();
    }
}
