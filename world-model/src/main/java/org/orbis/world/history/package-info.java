/**
 * Resource values over time: every committed value change is written to {@code value_history} inside the commit that
 * made it (see {@code CommitTransaction}); this package reads it back over a time range, raw or downsampled per bucket
 * (min/max/avg, computed by the database), and applies retention to the history, the change feed and the views' logs
 * on a named housekeeping thread.
 */
package org.orbis.world.history;
