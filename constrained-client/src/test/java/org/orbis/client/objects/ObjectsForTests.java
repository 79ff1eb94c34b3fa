package org.orbis.client.objects;

import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.orbis.client.model.ObjectModels;

/** Gives a stand-alone instance the id and model Leshan's object enabler would give it. */
final class ObjectsForTests {

    private ObjectsForTests() {
    }

    static <T extends BaseInstanceEnabler> T attach(T instance, int objectId) {
        instance.setId(0);
        instance.setModel(ObjectModels.all().stream().filter(model -> model.id == objectId).findFirst().orElseThrow());
        return instance;
    }
}
