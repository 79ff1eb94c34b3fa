package org.orbis.world.views;

import org.orbis.world.graph.NodeKey;

/** A node entered or left a view's result because of the change with this feed sequence. */
public record ViewChange(long sequence, NodeKey key, boolean entered) {
}
