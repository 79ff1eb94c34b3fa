package org.orbis.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.eclipse.leshan.core.link.DefaultLinkParser;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mObject;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mResourceInstance;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.ObjectLink;
import org.eclipse.leshan.core.util.datatype.ULong;
import org.junit.jupiter.api.Test;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.graph.ValueType;
import org.orbis.world.store.WorldUpdate.ReportedValue;

class NodeValuesTest {

    private static final String ENDPOINT = "dev-1";
    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final Instant DEVICE_TIME = Instant.parse("2026-01-02T03:04:00Z");

    @Test
    void singleResourceBecomesOneValueAtItsPath() {
        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(3303, 0, 5700),
                LwM2mSingleResource.newFloatResource(5700, 21.5), DEVICE_TIME, RECEIVED);

        assertThat(values).containsExactly(new ReportedValue(ENDPOINT, ResourcePath.of(3303, 0, 5700),
                TypedValue.ofFloat(21.5), DEVICE_TIME, RECEIVED));
    }

    @Test
    void valuesWithoutDeviceTimeKeepOnlyTheReceptionTime() {
        ReportedValue value = NodeValues.flatten(ENDPOINT, new LwM2mPath(3, 0, 0),
                LwM2mSingleResource.newStringResource(0, "Orbis"), null, RECEIVED).get(0);

        assertThat(value.deviceTime()).isNull();
        assertThat(value.receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void multiInstanceResourceBecomesOneValuePerResourceInstance() {
        LwM2mMultipleResource powerSources = LwM2mMultipleResource.newIntegerResource(6, Map.of(0, 1L, 1, 5L));

        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(3, 0, 6), powerSources, null, RECEIVED);

        assertThat(values).extracting(ReportedValue::path, ReportedValue::value).containsExactlyInAnyOrder(
                tuple(ResourcePath.of(3, 0, 6, 0), TypedValue.ofInteger(1)),
                tuple(ResourcePath.of(3, 0, 6, 1), TypedValue.ofInteger(5)));
    }

    @Test
    void resourceInstanceBecomesOneValueAtTheResourceInstancePath() {
        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(3, 0, 7, 1),
                LwM2mResourceInstance.newIntegerInstance(1, 5000), null, RECEIVED);

        assertThat(values).singleElement().satisfies(value -> {
            assertThat(value.path()).isEqualTo(ResourcePath.of(3, 0, 7, 1));
            assertThat(value.value()).isEqualTo(TypedValue.ofInteger(5000));
        });
    }

    @Test
    void objectInstanceBecomesAValueForEachOfItsResources() {
        LwM2mObjectInstance temperature = new LwM2mObjectInstance(1,
                LwM2mSingleResource.newFloatResource(5700, 19.25),
                LwM2mSingleResource.newStringResource(5701, "Cel"),
                LwM2mMultipleResource.newStringResource(5750, Map.of(0, "kitchen")));

        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(3303, 1), temperature, null, RECEIVED);

        assertThat(values).extracting(ReportedValue::path, ReportedValue::value).containsExactlyInAnyOrder(
                tuple(ResourcePath.of(3303, 1, 5700), TypedValue.ofFloat(19.25)),
                tuple(ResourcePath.of(3303, 1, 5701), TypedValue.ofString("Cel")),
                tuple(ResourcePath.of(3303, 1, 5750, 0), TypedValue.ofString("kitchen")));
        assertThat(values).allSatisfy(value -> assertThat(value.endpoint()).isEqualTo(ENDPOINT));
    }

    @Test
    void objectBecomesAValueForEveryResourceOfEveryInstance() {
        LwM2mObject sensors = new LwM2mObject(3303,
                new LwM2mObjectInstance(0, LwM2mSingleResource.newFloatResource(5700, 20.0)),
                new LwM2mObjectInstance(4, LwM2mSingleResource.newFloatResource(5700, 22.5),
                        LwM2mSingleResource.newFloatResource(5601, 18.0)));

        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(3303), sensors, DEVICE_TIME, RECEIVED);

        assertThat(values).extracting(ReportedValue::path).containsExactlyInAnyOrder(ResourcePath.of(3303, 0, 5700),
                ResourcePath.of(3303, 4, 5700), ResourcePath.of(3303, 4, 5601));
        assertThat(values).filteredOn(value -> value.path().equals(ResourcePath.of(3303, 4, 5700)))
                .singleElement().extracting(ReportedValue::value).isEqualTo(TypedValue.ofFloat(22.5));
        assertThat(values).allSatisfy(value -> assertThat(value.deviceTime()).isEqualTo(DEVICE_TIME));
    }

    @Test
    void everyLwm2mTypeKeepsItsTypeAndCanonicalText() {
        LwM2mObjectInstance instance = new LwM2mObjectInstance(0,
                LwM2mSingleResource.newIntegerResource(1, -42),
                LwM2mSingleResource.newUnsignedIntegerResource(2, ULong.valueOf("18446744073709551615")),
                LwM2mSingleResource.newFloatResource(3, 3.5),
                LwM2mSingleResource.newBooleanResource(4, true),
                LwM2mSingleResource.newStringResource(5, "héllo"),
                LwM2mSingleResource.newBinaryResource(6, new byte[] { 0x00, (byte) 0xab, 0x7f }),
                LwM2mSingleResource.newDateResource(7, Date.from(Instant.parse("2023-11-14T22:13:20Z"))),
                LwM2mSingleResource.newObjectLinkResource(8, new ObjectLink(3303, 2)));

        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(33000, 0), instance, null, RECEIVED);

        assertThat(values).extracting(value -> value.path().resourceId(), ReportedValue::value).containsExactlyInAnyOrder(
                tuple(1, new TypedValue(ValueType.INTEGER, "-42")),
                tuple(2, new TypedValue(ValueType.UNSIGNED_INTEGER, "18446744073709551615")),
                tuple(3, new TypedValue(ValueType.FLOAT, "3.5")),
                tuple(4, new TypedValue(ValueType.BOOLEAN, "true")),
                tuple(5, new TypedValue(ValueType.STRING, "héllo")),
                tuple(6, new TypedValue(ValueType.OPAQUE, "00ab7f")),
                tuple(7, new TypedValue(ValueType.TIME, "2023-11-14T22:13:20Z")),
                tuple(8, new TypedValue(ValueType.OBJLNK, "3303:2")));
    }

    @Test
    void unsignedIntegerGivenAsALongIsAcceptedToo() {
        assertThat(NodeValues.typed(Type.UNSIGNED_INTEGER, 7L)).isEqualTo(TypedValue.ofUnsigned(BigInteger.valueOf(7)));
    }

    @Test
    void multiInstanceValuesOfEveryTypeKeepTheirType() {
        LwM2mMultipleResource times = LwM2mMultipleResource.newDateResource(13,
                Map.of(0, Date.from(Instant.parse("2024-02-29T12:00:00Z"))));
        LwM2mMultipleResource links = LwM2mMultipleResource.newObjectLinkResource(14, Map.of(2, new ObjectLink(1, 0)));
        LwM2mMultipleResource blobs = LwM2mMultipleResource.newBinaryResource(15, Map.of(0, new byte[] { 1, 2 }));
        // Leshan M5's map factory refuses unsigned instances; decoders assemble them from instances like this.
        LwM2mMultipleResource counters = new LwM2mMultipleResource(16, Type.UNSIGNED_INTEGER,
                LwM2mResourceInstance.newUnsignedIntegerInstance(0, ULong.valueOf(9L)));

        assertThat(flattenResource(times)).containsExactly(TypedValue.ofTime(Instant.parse("2024-02-29T12:00:00Z")));
        assertThat(flattenResource(links)).containsExactly(TypedValue.ofObjectLink(1, 0));
        assertThat(flattenResource(blobs)).containsExactly(TypedValue.ofOpaque(new byte[] { 1, 2 }));
        assertThat(flattenResource(counters)).containsExactly(TypedValue.ofUnsigned(BigInteger.valueOf(9)));
    }

    @Test
    void coreLinkValueIsKeptInCoreLinkFormat() {
        Link[] links = new DefaultLinkParser().parse("</3/0>,</3303/0>;ver=1.1".getBytes(StandardCharsets.UTF_8));
        // Leshan M5's factories refuse CORELINK, but its decoders may build such nodes through the constructor.
        LwM2mSingleResource resource = new LwM2mSingleResource(9, links, Type.CORELINK) {
        };

        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(33000, 0, 9), resource, null, RECEIVED);

        assertThat(values).extracting(ReportedValue::value)
                .containsExactly(new TypedValue(ValueType.CORELNK, "</3/0>,</3303/0>;ver=1.1"));
        assertThat(NodeValues.typed(Type.CORELINK, "</1/0>")).isEqualTo(TypedValue.ofCoreLink("</1/0>"));
    }

    @Test
    void executableResourcesWithoutValueTypeProduceNothing() {
        LwM2mSingleResource reboot = new LwM2mSingleResource(4, "", Type.NONE) {
        };
        LwM2mObjectInstance device = new LwM2mObjectInstance(0, LwM2mSingleResource.newStringResource(0, "Orbis"),
                reboot);

        List<ReportedValue> values = NodeValues.flatten(ENDPOINT, new LwM2mPath(3, 0), device, null, RECEIVED);

        assertThat(values).extracting(ReportedValue::path).containsExactly(ResourcePath.of(3, 0, 0));
        assertThat(NodeValues.typed(Type.NONE, "anything")).isNull();
        assertThat(NodeValues.typed(Type.STRING, null)).isNull();
    }

    private static List<TypedValue> flattenResource(LwM2mMultipleResource resource) {
        return NodeValues.flatten(ENDPOINT, new LwM2mPath(33000, 0, resource.getId()), resource, null, RECEIVED).stream()
                .map(ReportedValue::value).toList();
    }
}
