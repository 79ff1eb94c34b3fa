package org.orbis.client.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.junit.jupiter.api.Test;
import org.orbis.client.support.MutableClock;

class LightControlInstanceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<LightState> changes = new ArrayList<>();
    private final LightControlInstance light = ObjectsForTests.attach(
            new LightControlInstance("dev", clock, changes::add), LightControlInstance.OBJECT_ID);

    @Test
    void countsOnTimeAndEnergyOnlyWhileOn() {
        clock.advance(Duration.ofHours(1));
        write(LightControlInstance.DIMMER, 50L);
        write(LightControlInstance.ON_OFF, true);
        clock.advance(Duration.ofHours(2));
        light.drift();

        assertThat(read(LightControlInstance.ON_TIME)).isEqualTo(7200L);
        assertThat(read(LightControlInstance.CUMULATIVE_ACTIVE_POWER))
                .isEqualTo(LightControlInstance.RATED_POWER_WATTS * 0.5 * 2);
    }

    @Test
    void writingZeroOnTimeResetsTheCounter() {
        write(LightControlInstance.ON_OFF, true);
        clock.advance(Duration.ofMinutes(10));

        write(LightControlInstance.ON_TIME, 0L);
        clock.advance(Duration.ofSeconds(30));

        assertThat(read(LightControlInstance.ON_TIME)).isEqualTo(30L);
    }

    @Test
    void reportsEachStateChangeOnceAndIgnoresWritesThatChangeNothing() {
        write(LightControlInstance.ON_OFF, true);
        write(LightControlInstance.ON_OFF, true);
        write(LightControlInstance.DIMMER, 40L);

        assertThat(changes).containsExactly(new LightState(true, 100), new LightState(true, 40));
    }

    @Test
    void factoryResetSwitchesTheLightOffAtFullDimmer() {
        write(LightControlInstance.ON_OFF, true);
        write(LightControlInstance.DIMMER, 10L);

        light.restoreFactoryDefaults();

        assertThat(light.state()).isEqualTo(new LightState(false, 100));
    }

    private void write(int resourceId, Object value) {
        LwM2mSingleResource resource = value instanceof Boolean b ? LwM2mSingleResource.newBooleanResource(resourceId, b)
                : LwM2mSingleResource.newIntegerResource(resourceId, (Long) value);
        assertThat(light.write(ServerIdentity.SYSTEM, false, resourceId, resource).getCode())
                .isEqualTo(ResponseCode.CHANGED);
    }

    private Object read(int resourceId) {
        return ((LwM2mSingleResource) light.read(ServerIdentity.SYSTEM, resourceId).getContent()).getValue();
    }
}
