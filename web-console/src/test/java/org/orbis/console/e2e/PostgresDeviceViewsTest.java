package org.orbis.console.e2e;

import java.nio.file.Path;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresDeviceViewsTest extends DeviceViewsContract {

    @Override
    DatabaseSettings database(Path dataDir) {
        return TestDatabases.postgres();
    }
}
