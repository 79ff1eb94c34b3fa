package org.orbis.world.commands;

import java.util.List;

/** One page of desired values and how many match in total. */
public record DesiredPage(List<DesiredValue> values, long total, int offset, int limit) {
}
