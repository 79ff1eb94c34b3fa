package org.orbis.world.commands;

/** A command cannot make the asked transition (e.g. cancelling one that was already sent). */
public class CommandStateException extends RuntimeException {

    public CommandStateException(String message) {
        super(message);
    }
}
