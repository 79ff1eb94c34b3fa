package org.orbis.server.models;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.orbis.world.models.ObjectModel;
import org.orbis.world.models.ResourceModel;

/**
 * Leshan's object models as the world model's plain records, so that the world model can describe every resource
 * node (name, type, units, operations, multiplicity) without knowing Leshan.
 */
public final class ModelDescriptors {

    private ModelDescriptors() {
    }

    public static List<ObjectModel> of(Collection<org.eclipse.leshan.core.model.ObjectModel> models) {
        return models.stream().map(ModelDescriptors::of).toList();
    }

    public static ObjectModel of(org.eclipse.leshan.core.model.ObjectModel model) {
        List<ResourceModel> resources = model.resources.values().stream().map(resource -> new ResourceModel(resource.id,
                resource.name, resource.type == null ? "NONE" : resource.type.name().toUpperCase(Locale.ROOT),
                resource.operations == null || resource.operations.name().equals("NONE") ? "" : resource.operations.name(),
                Boolean.TRUE.equals(resource.multiple), Boolean.TRUE.equals(resource.mandatory), blankToNull(resource.units),
                blankToNull(resource.rangeEnumeration), blankToNull(resource.description))).toList();
        return new ObjectModel(model.id, model.version == null ? org.eclipse.leshan.core.model.ObjectModel.DEFAULT_VERSION : model.version, model.name,
                blankToNull(model.urn), blankToNull(model.lwm2mVersion), Boolean.TRUE.equals(model.multiple),
                Boolean.TRUE.equals(model.mandatory), blankToNull(model.description), resources);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
