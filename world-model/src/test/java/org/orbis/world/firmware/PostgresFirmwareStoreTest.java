package org.orbis.world.firmware;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresFirmwareStoreTest extends FirmwareStoreContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
