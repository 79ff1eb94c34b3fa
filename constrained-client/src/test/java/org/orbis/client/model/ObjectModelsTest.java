package org.orbis.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel;
import org.eclipse.leshan.core.model.ResourceModel.Operations;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.junit.jupiter.api.Test;

class ObjectModelsTest {

    private final Map<Integer, ObjectModel> models = ObjectModels.all().stream()
            .collect(Collectors.toMap(model -> model.id, Function.identity()));

    @Test
    void indexListsTheIpsoObjectsOfTheReferenceClientAndTheWorldView() {
        assertThat(ObjectModels.listedDdfFiles()).containsExactly("3303.xml", "3304.xml", "3311.xml", "33100.xml");
    }

    @Test
    void loadsLeshanCoreObjectsAndTheOrbisDdfsOnceEach() {
        assertThat(models).containsKeys(0, 1, 3, 4, 6, 3303, 3304, 3311, 33100);
        assertThat(ObjectModels.all()).extracting(model -> model.id).doesNotHaveDuplicates();
    }

    @Test
    void temperatureAndHumidityShareTheIpsoSensorResources() {
        for (int objectId : List.of(3303, 3304)) {
            ObjectModel sensor = models.get(objectId);
            assertThat(sensor.multiple).isTrue();
            assertThat(sensor.urn).isEqualTo("urn:oma:lwm2m:ext:" + objectId);
            assertResource(sensor, 5700, "Sensor Value", Operations.R, Type.FLOAT, true);
            assertResource(sensor, 5701, "Sensor Units", Operations.R, Type.STRING, false);
            assertResource(sensor, 5601, "Min Measured Value", Operations.R, Type.FLOAT, false);
            assertResource(sensor, 5602, "Max Measured Value", Operations.R, Type.FLOAT, false);
            assertResource(sensor, 5603, "Min Range Value", Operations.R, Type.FLOAT, false);
            assertResource(sensor, 5604, "Max Range Value", Operations.R, Type.FLOAT, false);
            assertResource(sensor, 5605, "Reset Min and Max Measured Values", Operations.E, Type.NONE, false);
            assertResource(sensor, 5750, "Application Type", Operations.RW, Type.STRING, false);
        }
    }

    @Test
    void lightControlCanBeSwitchedAndDimmed() {
        ObjectModel light = models.get(3311);
        assertResource(light, 5850, "On/Off", Operations.RW, Type.BOOLEAN, true);
        assertResource(light, 5851, "Dimmer", Operations.RW, Type.INTEGER, false);
        assertThat(light.resources.get(5851).rangeEnumeration).isEqualTo("0..100");
        assertResource(light, 5852, "On time", Operations.RW, Type.INTEGER, false);
        assertResource(light, 5805, "Cumulative active power", Operations.R, Type.FLOAT, false);
        assertResource(light, 5820, "Power factor", Operations.R, Type.FLOAT, false);
        assertResource(light, 5706, "Colour", Operations.RW, Type.STRING, false);
        assertResource(light, 5701, "Sensor Units", Operations.R, Type.STRING, false);
        assertResource(light, 5750, "Application Type", Operations.RW, Type.STRING, false);
    }

    private static void assertResource(ObjectModel object, int id, String name, Operations operations, Type type,
            boolean mandatory) {
        ResourceModel resource = object.resources.get(id);
        assertThat(resource).as("/%d/x/%d", object.id, id).isNotNull();
        assertThat(resource.name).isEqualTo(name);
        assertThat(resource.operations).isEqualTo(operations);
        assertThat(resource.type).isEqualTo(type);
        assertThat(resource.mandatory).isEqualTo(mandatory);
        assertThat(resource.multiple).isFalse();
    }
}
