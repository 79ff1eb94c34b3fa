package org.orbis.server.firmware;

import java.util.List;

/** Which devices are placed in a zone of the world graph, for campaigns that target a zone. */
@FunctionalInterface
public interface ZoneDirectory {

    /** Where zones are unknown: every zone target is refused. */
    ZoneDirectory NONE = zone -> {
        throw new IllegalArgumentException("targeting a zone needs the world graph, which this server is not given; "
                + "target by model, versions or endpoints");
    };

    /**
     * The endpoints of the devices in {@code zone} or in the zones inside it.
     *
     * @throws IllegalArgumentException if there is no such zone
     */
    List<String> devicesIn(String zone);
}
