package org.orbis.world.query;

import org.orbis.world.graph.Device;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.models.ResourceDescription;

/** One node of a query result. */
public sealed interface QueryHit {

    NodeKey key();

    /** The node's revision (a resource's value revision). */
    long revision();

    /** A resource (or resource instance) with its current value and its model. */
    record ResourceHit(ResourceValue value, ResourceDescription model) implements QueryHit {
        @Override
        public NodeKey key() {
            return value.key();
        }

        @Override
        public long revision() {
            return value.revision();
        }
    }

    record DeviceHit(Device device, long revision) implements QueryHit {
        @Override
        public NodeKey key() {
            return device.key();
        }
    }

    record EntityHit(Entity entity) implements QueryHit {
        @Override
        public NodeKey key() {
            return entity.key();
        }

        @Override
        public long revision() {
            return entity.revision();
        }
    }
}
