package org.orbis.bootstrap.provisioning;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresDeviceProvisioningTest extends DeviceProvisioningContract {

    @Override
    protected DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
