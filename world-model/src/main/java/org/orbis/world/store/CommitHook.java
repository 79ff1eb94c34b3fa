package org.orbis.world.store;

import java.sql.SQLException;
import java.util.List;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/**
 * Runs inside every commit of reported values, after they are written and before the transaction ends, so that state
 * derived from reported values (such as whether a desired value is now in sync) commits atomically with them. Runs on
 * the committing thread with the feed lock held: keep it to a few indexed statements.
 */
@FunctionalInterface
public interface CommitHook {

    /** @param values every reported value of the batch, in order, changed or not */
    void reported(FeedTransaction feed, List<ReportedValue> values) throws SQLException;
}
