package org.orbis.world.store;

import java.util.List;
import org.orbis.world.graph.Device;

/** One page of a device listing and the number of devices matching the query in total. */
public record DevicePage(List<Device> devices, long total, int offset, int limit) {
}
