package org.orbis.bootstrap.testing;

import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;

/**
 * Base of the bootstrap server's tests that need credentials in a real database: a fresh, migrated database per test
 * (which backend is up to the subclass), its world store and its credential store.
 */
public abstract class CredentialDatabaseTest {

    protected Database database;
    protected WorldStore world;
    protected CredentialStore credentials;

    protected abstract DatabaseSettings settings();

    @BeforeEach
    protected void openDatabase() {
        database = Database.open(settings());
        world = new WorldStore(database, Clock.systemUTC());
        credentials = new CredentialStore(world);
    }

    @AfterEach
    protected void closeDatabase() {
        database.close();
    }
}
