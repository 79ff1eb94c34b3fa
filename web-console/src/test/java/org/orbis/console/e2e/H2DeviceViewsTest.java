package org.orbis.console.e2e;

import java.nio.file.Path;
import org.orbis.world.store.DatabaseSettings;

class H2DeviceViewsTest extends DeviceViewsContract {

    @Override
    DatabaseSettings database(Path dataDir) {
        return DatabaseSettings.embeddedH2(dataDir);
    }
}
