package org.orbis.world.views;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresViewTest extends ViewContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
