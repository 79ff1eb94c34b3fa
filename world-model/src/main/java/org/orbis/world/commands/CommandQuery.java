package org.orbis.world.commands;

/**
 * Which commands to list, newest first.
 *
 * @param endpoint only this device's, or {@code null}
 * @param status only in this status, or {@code null}
 */
public record CommandQuery(String endpoint, CommandStatus status, int offset, int limit) {

    public static final int MAX_LIMIT = 1000;

    public CommandQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }
}
