package org.orbis.world.query;

import java.util.List;

/**
 * One page of a query result, in key order.
 *
 * @param next the cursor for the next page (pass it as {@code after}), or {@code null} on the last page
 */
public record QueryPage(List<QueryHit> hits, String next) {
}
