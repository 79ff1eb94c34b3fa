package org.orbis.world.views;

import java.util.List;
import java.util.Set;
import org.orbis.world.graph.NodeKey;

/**
 * A consistent read of one view: its definition, its membership as of sequence {@code since} and the membership
 * changes after it up to {@code maintained}, the sequence through which the maintainer has applied every change.
 */
public record ViewState(ViewDefinition definition, long since, long maintained, Set<NodeKey> members,
        List<ViewChange> changes) {
}
