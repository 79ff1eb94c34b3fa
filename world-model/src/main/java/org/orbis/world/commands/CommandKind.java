package org.orbis.world.commands;

/** What a queued command asks the device to do. */
public enum CommandKind {
    READ, WRITE, EXECUTE, CREATE, DELETE, OBSERVE, CANCEL_OBSERVE
}
