package org.orbis.client.objects;

import java.util.function.Supplier;

import org.eclipse.leshan.client.resource.BaseInstanceEnablerFactory;
import org.eclipse.leshan.client.resource.LwM2mInstanceEnabler;
import org.eclipse.leshan.client.resource.LwM2mInstanceEnablerFactory;

/**
 * Leshan needs a factory for every object (it serves Create and bootstrap writes); our instances take constructor
 * arguments, so they cannot use Leshan's default no-arg-constructor factory.
 */
public final class InstanceFactories {

    private InstanceFactories() {
    }

    /** A factory that creates instances with {@code supplier}; Leshan assigns the instance id and model. */
    public static LwM2mInstanceEnablerFactory of(Supplier<? extends LwM2mInstanceEnabler> supplier) {
        return new BaseInstanceEnablerFactory() {
            @Override
            public LwM2mInstanceEnabler create() {
                return supplier.get();
            }
        };
    }
}
