package org.orbis.world.query;

/** A query that cannot be run as written; the message says what is wrong and how to write it. */
public class QueryException extends IllegalArgumentException {

    public QueryException(String message) {
        super(message);
    }
}
