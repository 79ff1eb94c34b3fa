package org.orbis.world.models;

import java.util.List;
import java.util.Optional;

/**
 * One version of an LwM2M object model, as its DDF file defines it.
 *
 * @param version the object version, e.g. {@code "1.0"}, {@code "1.1"}
 * @param resources ordered by id
 */
public record ObjectModel(int id, String version, String name, String urn, String lwm2mVersion, boolean multiple,
        boolean mandatory, String description, List<ResourceModel> resources) {

    public ObjectModel {
        resources = resources.stream().sorted(java.util.Comparator.comparingInt(ResourceModel::id)).toList();
    }

    public Optional<ResourceModel> resource(int resourceId) {
        return resources.stream().filter(resource -> resource.id() == resourceId).findFirst();
    }
}
