package org.orbis.world.access;

/** A user with this name exists already. */
public final class DuplicateUserException extends RuntimeException {

    public DuplicateUserException(String username) {
        super("a user named '" + username + "' exists already");
    }
}
