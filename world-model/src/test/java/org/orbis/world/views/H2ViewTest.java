package org.orbis.world.views;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class H2ViewTest extends ViewContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.h2();
    }
}
