package org.orbis.world.history;

import java.time.Instant;
import org.orbis.world.graph.TypedValue;

/**
 * One committed value of a resource.
 *
 * @param at the device's timestamp when it gave one, else when the server received the value
 * @param sequence the change-feed sequence of the change
 */
public record HistoryPoint(Instant at, TypedValue value, long sequence, Instant serverTime) {
}
