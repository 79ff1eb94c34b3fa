package org.orbis.world.history;

import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.testing.TestDatabases;

class PostgresHistoryTest extends HistoryContract {

    @Override
    DatabaseSettings settings() {
        return TestDatabases.postgres();
    }
}
