package org.orbis.server.firmware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.orbis.world.commands.Command;
import org.orbis.world.commands.CommandStatus;
import org.orbis.world.firmware.CampaignDevice;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.ResourceValue;
import org.orbis.world.store.WorldStore;

/**
 * What a device has reported about its Firmware Update object since its current step began: values that reached the
 * world model after the step's baseline (notifications), and the answer to the last state read the campaign queued
 * after the step. Values from before the step never count, so an old Update Result cannot pass for a new one.
 *
 * @param state State (/5/0/3) reported since the step began, or {@code null}
 * @param result Update Result (/5/0/5) reported since the step began, or {@code null}
 * @param pollState State in the answer to the campaign's last read, or {@code null}
 * @param pollResult Update Result in that answer, or {@code null}
 */
record DeviceReport(Integer state, Integer result, Integer pollState, Integer pollResult) {

    static final ResourcePath STATE = ResourcePath.of(5, 0, 3);
    static final ResourcePath RESULT = ResourcePath.of(5, 0, 5);
    static final ResourcePath DELIVERY_METHOD = ResourcePath.of(5, 0, 9);
    static final ResourcePath FIRMWARE_VERSION = ResourcePath.of(3, 0, 3);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static DeviceReport of(WorldStore world, CampaignDevice device, Optional<Command> poll) {
        long baseline = device.baselineSeq() == null ? Long.MAX_VALUE : device.baselineSeq();
        Integer state = fresh(world.value(device.endpoint(), STATE), baseline);
        Integer result = fresh(world.value(device.endpoint(), RESULT), baseline);
        Integer pollState = null;
        Integer pollResult = null;
        if (poll.isPresent() && poll.get().status() == CommandStatus.SUCCEEDED && device.stepCommandId() != null
                && poll.get().id() > device.stepCommandId()) {
            JsonNode values = parse(poll.get().response()).path("values");
            pollState = integer(values.get(STATE.toString()));
            pollResult = integer(values.get(RESULT.toString()));
        }
        return new DeviceReport(state, result, pollState, pollResult);
    }

    /** The package is on the device and checked. */
    boolean downloaded() {
        return Integer.valueOf(2).equals(state) || Integer.valueOf(2).equals(pollState);
    }

    /** The failure the device reported since the step began, or {@code null}. */
    UpdateResult failure() {
        for (Integer code : new Integer[] {result, pollResult}) {
            UpdateResult reported = code == null ? null : UpdateResult.of(code);
            if (reported != null && reported.isFailure()) {
                return reported;
            }
        }
        return null;
    }

    /** The device answered a state read after the step began and is idle with no result: it forgot the step. */
    boolean idleWithoutResult() {
        return Integer.valueOf(0).equals(pollState) && Integer.valueOf(0).equals(pollResult);
    }

    static Integer intValue(WorldStore world, String endpoint, ResourcePath path) {
        return world.value(endpoint, path).map(DeviceReport::integer).orElse(null);
    }

    static String text(WorldStore world, String endpoint, ResourcePath path) {
        return world.value(endpoint, path).map(value -> value.value().text()).orElse(null);
    }

    private static Integer fresh(Optional<ResourceValue> value, long baseline) {
        return value.filter(v -> v.sequence() > baseline).map(DeviceReport::integer).orElse(null);
    }

    private static Integer integer(ResourceValue value) {
        try {
            return Integer.valueOf(value.value().text());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(JsonNode node) {
        return node != null && node.canConvertToInt() ? node.intValue() : null;
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? MAPPER.createObjectNode() : MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return MAPPER.createObjectNode();
        }
    }
}
