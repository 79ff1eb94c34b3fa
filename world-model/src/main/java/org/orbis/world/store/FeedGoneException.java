package org.orbis.world.store;

/**
 * A reader asked for changes that retention has already removed from the change feed: it cannot resume from there
 * without missing changes. It must resynchronise: read the current state, then follow the feed from its head.
 */
public class FeedGoneException extends StoreException {

    private final long after;
    private final long prunedThrough;

    public FeedGoneException(long after, long prunedThrough) {
        super("changes after sequence " + after + " are gone: retention removed the change feed up to sequence "
                + prunedThrough + "; read the current state again and resume from the feed's head");
        this.after = after;
        this.prunedThrough = prunedThrough;
    }

    public long after() {
        return after;
    }

    /** Changes up to and including this sequence are gone; the oldest kept one follows it. */
    public long prunedThrough() {
        return prunedThrough;
    }
}
