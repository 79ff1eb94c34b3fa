package org.orbis.world.commands;

/** What a queued command asks the device to do. */
public enum CommandKind {
    READ, WRITE, EXECUTE, CREATE, DELETE, OBSERVE, CANCEL_OBSERVE,
    /** Replaces a whole object instance (creating it if the device does not have it yet), e.g. a World View. */
    WRITE_INSTANCE
}
