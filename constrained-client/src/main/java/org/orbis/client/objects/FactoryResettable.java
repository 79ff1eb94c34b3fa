package org.orbis.client.objects;

/** An object instance with settings a factory reset (Device {@code /3/0/5}) puts back to their defaults. */
public interface FactoryResettable {

    /** Restores factory defaults and fires resource changes for what changed. */
    void restoreFactoryDefaults();
}
