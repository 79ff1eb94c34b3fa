package org.orbis.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.orbis.world.models.ObjectModel;
import org.orbis.world.models.ResourceModel;

class ModelDescriptorsTest {

    private final List<ObjectModel> models = ModelDescriptors.of(ObjectModels.load());

    @Test
    void theCoreObjectsAreDescribedInEveryVersionLeshanShips() {
        Map<Integer, List<String>> versions = models.stream().collect(Collectors.groupingBy(ObjectModel::id,
                Collectors.mapping(ObjectModel::version, Collectors.toList())));

        assertThat(versions).containsKeys(0, 1, 2, 3, 4, 5, 6, 7, 21, 3303, 3304, 3311, 33100);
        assertThat(versions.get(3)).contains("1.0", "1.1");
        assertThat(versions.get(4)).contains("1.0", "1.1", "1.2");
        ResourceModel manufacturer = find(3, "1.1").resource(0).orElseThrow();
        assertThat(manufacturer.name()).isEqualTo("Manufacturer");
        assertThat(manufacturer.type()).isEqualTo("STRING");
        assertThat(manufacturer.operations()).isEqualTo("R");
        ResourceModel reboot = find(3, "1.1").resource(4).orElseThrow();
        assertThat(reboot.operations()).isEqualTo("E");
        assertThat(reboot.type()).isEqualTo("NONE");
        assertThat(find(3303, "1.0").resource(5700).orElseThrow().type()).isEqualTo("FLOAT");
    }

    @Test
    void theWorldViewObjectCarriesParallelEntryListsADeviceCanDecode() {
        ObjectModel view = find(33100, "1.0");

        assertThat(view.name()).isEqualTo("Orbis World View");
        assertThat(view.multiple()).as("one instance per view").isTrue();
        assertThat(view.resources()).extracting(ResourceModel::name).containsExactly("View Name", "Entry Key",
                "Entry Value", "Entry Type", "Entry Timestamp", "Entry Numeric Value", "Sequence", "Capacity", "Truncated");
        assertThat(view.resources().subList(1, 6)).allSatisfy(entry -> {
            assertThat(entry.multiple()).isTrue();
            assertThat(entry.operations()).isEqualTo("RW");
        });
        assertThat(view.resource(3).orElseThrow().type()).isEqualTo("INTEGER");
        assertThat(view.resource(3).orElseThrow().rangeEnumeration()).isEqualTo("0..8");
        assertThat(view.resource(4).orElseThrow().type()).isEqualTo("TIME");
        assertThat(view.resource(6).orElseThrow().type()).isEqualTo("INTEGER");
    }

    private ObjectModel find(int id, String version) {
        return models.stream().filter(model -> model.id() == id && model.version().equals(version)).findFirst()
                .orElseThrow(() -> new AssertionError("no model " + id + " v" + version));
    }
}
