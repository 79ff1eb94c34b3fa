package org.orbis.client.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.junit.jupiter.api.Test;

class SensorInstanceTest {

    private final SensorInstance temperature = ObjectsForTests.attach(
            new SensorInstance(SensorProfile.TEMPERATURE, new SplittableRandom(3)), SensorProfile.TEMPERATURE_OBJECT_ID);

    @Test
    void minAndMaxMeasuredValuesTrackTheDriftingValue() {
        double lowest = temperature.value();
        double highest = temperature.value();
        for (int i = 0; i < 200; i++) {
            temperature.drift();
            lowest = Math.min(lowest, temperature.value());
            highest = Math.max(highest, temperature.value());
        }
        assertThat(temperature.minMeasured()).isEqualTo(lowest);
        assertThat(temperature.maxMeasured()).isEqualTo(highest);
        assertThat(lowest).isLessThan(highest);
    }

    @Test
    void resetMinAndMaxMeasuredValuesStartsTrackingAgainFromTheCurrentValue() {
        for (int i = 0; i < 50; i++) {
            temperature.drift();
        }

        assertThat(temperature.execute(ServerIdentity.SYSTEM, SensorInstance.RESET_MIN_MAX, null).isSuccess()).isTrue();

        assertThat(temperature.minMeasured()).isEqualTo(temperature.value());
        assertThat(temperature.maxMeasured()).isEqualTo(temperature.value());
    }

    @Test
    void reportsUnitsAndSensorRange() {
        assertThat(value(SensorInstance.SENSOR_UNITS)).isEqualTo("Cel");
        assertThat(value(SensorInstance.MIN_RANGE_VALUE)).isEqualTo(-40.0);
        assertThat(value(SensorInstance.MAX_RANGE_VALUE)).isEqualTo(85.0);
        assertThat(new SensorInstance(SensorProfile.HUMIDITY, new SplittableRandom(3)).value()).isBetween(30.0, 70.0);
    }

    private Object value(int resourceId) {
        return ((LwM2mSingleResource) temperature.read(ServerIdentity.SYSTEM, resourceId).getContent()).getValue();
    }
}
