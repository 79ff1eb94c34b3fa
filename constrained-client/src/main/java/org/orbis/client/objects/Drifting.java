package org.orbis.client.objects;

/**
 * An object instance whose simulated values move over time.
 * <p>
 * {@link #drift()} is called by the client's scheduler once per drift period; it must return quickly, never block,
 * and fire resource changes for the values it moved.
 */
public interface Drifting {

    /** Advances the simulation by one step. */
    void drift();
}
