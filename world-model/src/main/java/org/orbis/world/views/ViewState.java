package org.orbis.world.views;

import java.util.List;
import java.util.Set;
import org.orbis.world.graph.NodeKey;

/**
 * A consistent read of one view: its definition, its membership as of sequence {@code since} and the membership
 * changes after it up to {@code maintained}, the sequence through which the maintainer has applied every change.
 *
 * @param resync {@code true} when the view was redefined after the sequence asked for: then {@code members} is the
 *     current membership ({@code since == maintained}) and the subscriber must replace what it had
 */
public record ViewState(ViewDefinition definition, long since, long maintained, Set<NodeKey> members,
        List<ViewChange> changes, boolean resync) {
}
