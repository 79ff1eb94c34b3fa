package org.orbis.console.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.orbis.world.store.DatabaseSettings;

/** The end-to-end contract on the default embedded H2 file database. */
class H2EndToEndTest extends EndToEndContract {

    @TempDir
    Path dataDir;

    @Override
    DatabaseSettings database() {
        return DatabaseSettings.embeddedH2(dataDir);
    }
}
