package org.orbis.world.store;

import java.util.List;
import org.orbis.world.graph.ChangeEvent;

/**
 * Told about every batch of changes this process committed, in sequence order. Called on the committing thread (the
 * world writer's), after the commit: implementations must return quickly and never call back into the store.
 */
@FunctionalInterface
public interface CommitListener {

    void committed(List<ChangeEvent> events);
}
