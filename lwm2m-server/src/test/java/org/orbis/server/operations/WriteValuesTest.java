package org.orbis.server.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import org.eclipse.leshan.core.model.ResourceModel;
import org.eclipse.leshan.core.model.ResourceModel.Operations;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.ObjectLink;
import org.eclipse.leshan.core.util.datatype.ULong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an operator may send as the JSON value of a write, per LwM2M type. Every accepted value is also handed to
 * Leshan's {@link LwM2mSingleResource#newResource(int, Object, Type)}, as the write operation does, so a conversion
 * Leshan would refuse fails here and not on a live device.
 */
class WriteValuesTest {

    private static final ResourceModel ON_OFF = model(5850, "On/Off", Type.BOOLEAN);
    private static final ResourceModel DIMMER = model(5851, "Dimmer", Type.INTEGER);
    private static final ResourceModel COUNTER = model(33001, "Counter", Type.UNSIGNED_INTEGER);
    private static final ResourceModel SET_POINT = model(5900, "Set Point Value", Type.FLOAT);
    private static final ResourceModel APPLICATION_TYPE = model(5750, "Application Type", Type.STRING);
    private static final ResourceModel DATA = model(0, "Data", Type.OPAQUE);
    private static final ResourceModel CURRENT_TIME = model(13, "Current Time", Type.TIME);
    private static final ResourceModel LINK = model(33002, "Linked Instance", Type.OBJLNK);
    private static final ResourceModel LINKS = model(33003, "Links", Type.CORELINK);
    private static final ResourceModel REBOOT = model(4, "Reboot", Type.NONE);

    @Test
    void booleanAcceptsJsonBooleansAndTheirStrings() {
        assertThat(convert(ON_OFF, true)).isEqualTo(true);
        assertThat(convert(ON_OFF, false)).isEqualTo(false);
        assertThat(convert(ON_OFF, "true")).isEqualTo(true);
        assertThat(convert(ON_OFF, "false")).isEqualTo(false);
    }

    @Test
    void booleanRefusesAnythingElse() {
        assertRefused(ON_OFF, "maybe", "true or false");
        assertRefused(ON_OFF, 1, "true or false");
    }

    @Test
    void integerAcceptsWholeNumbersInEveryJsonForm() {
        assertThat(convert(DIMMER, 42)).isEqualTo(42L);
        assertThat(convert(DIMMER, 42L)).isEqualTo(42L);
        assertThat(convert(DIMMER, new BigDecimal("42"))).isEqualTo(42L);
        assertThat(convert(DIMMER, "42")).isEqualTo(42L);
        assertThat(convert(DIMMER, -7)).isEqualTo(-7L);
        assertThat(convert(DIMMER, 42.0)).isEqualTo(42L);
        assertThat(convert(DIMMER, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void integerRefusesFractionsTextAndValuesBeyondSixtyFourBits() {
        assertRefused(DIMMER, 4.5, "an integer");
        assertRefused(DIMMER, "4.5", "an integer");
        assertRefused(DIMMER, "forty-two", "an integer");
        assertRefused(DIMMER, true, "an integer");
        assertRefused(DIMMER, new BigInteger("9223372036854775808"), "an integer");
    }

    @Test
    void unsignedIntegerAcceptsTheFullUnsignedSixtyFourBitRange() {
        assertThat(convert(COUNTER, 0)).isEqualTo(ULong.valueOf(0));
        assertThat(convert(COUNTER, "42")).isEqualTo(ULong.valueOf(42));
        assertThat(convert(COUNTER, new BigInteger("18446744073709551615")))
                .isEqualTo(ULong.valueOf("18446744073709551615"));
    }

    @Test
    void unsignedIntegerRefusesNegativesFractionsAndOverflow() {
        assertRefused(COUNTER, -1, "an unsigned integer");
        assertRefused(COUNTER, 1.5, "an unsigned integer");
        assertRefused(COUNTER, new BigInteger("18446744073709551616"), "an unsigned integer");
    }

    @Test
    void floatAcceptsAnyJsonNumberOrNumericString() {
        assertThat(convert(SET_POINT, 3.5)).isEqualTo(3.5);
        assertThat(convert(SET_POINT, 21)).isEqualTo(21.0);
        assertThat(convert(SET_POINT, new BigDecimal("-0.25"))).isEqualTo(-0.25);
        assertThat(convert(SET_POINT, "3.5")).isEqualTo(3.5);
    }

    @Test
    void floatRefusesTextAndBooleans() {
        assertRefused(SET_POINT, "warm", "a number");
        assertRefused(SET_POINT, false, "a number");
    }

    @Test
    void stringTakesAnyScalarAsText() {
        assertThat(convert(APPLICATION_TYPE, "kitchen")).isEqualTo("kitchen");
        assertThat(convert(APPLICATION_TYPE, 42)).isEqualTo("42");
        assertThat(convert(APPLICATION_TYPE, true)).isEqualTo("true");
    }

    @Test
    void opaqueTakesAHexString() {
        assertThat((byte[]) convert(DATA, "00ab7F")).containsExactly(0x00, 0xab, 0x7f);
        assertThat((byte[]) convert(DATA, "")).isEmpty();
    }

    @Test
    void opaqueRefusesNonHexOddLengthAndNonStrings() {
        assertRefused(DATA, "zz", "a hex string");
        assertRefused(DATA, "abc", "a hex string");
        assertRefused(DATA, 42, "a hex string");
    }

    @Test
    void timeTakesIso8601OrEpochSeconds() {
        Date expected = Date.from(Instant.parse("2023-11-14T22:13:20Z"));

        assertThat(convert(CURRENT_TIME, "2023-11-14T22:13:20Z")).isEqualTo(expected);
        assertThat(convert(CURRENT_TIME, "2023-11-14T23:13:20+01:00")).isEqualTo(expected);
        assertThat(convert(CURRENT_TIME, 1700000000)).isEqualTo(expected);
        assertThat(convert(CURRENT_TIME, 1700000000L)).isEqualTo(expected);
    }

    @Test
    void timeRefusesOtherTextAndBooleans() {
        assertRefused(CURRENT_TIME, "yesterday", "an ISO-8601 time or epoch seconds");
        assertRefused(CURRENT_TIME, "2023-11-14", "an ISO-8601 time or epoch seconds");
        assertRefused(CURRENT_TIME, true, "an ISO-8601 time or epoch seconds");
    }

    @Test
    void objectLinkTakesObjectColonInstance() {
        assertThat(convert(LINK, "3:0")).isEqualTo(new ObjectLink(3, 0));
        assertThat(convert(LINK, "3303:12")).isEqualTo(new ObjectLink(3303, 12));
    }

    @ParameterizedTest
    @ValueSource(strings = { "3", "3:0:1", "a:b", ":0", "3:", "70000:0" })
    void objectLinkRefusesAnythingElse(String link) {
        assertRefused(LINK, link, "an object link like \"3:0\"");
    }

    @Test
    void objectLinkRefusesNumbers() {
        assertRefused(LINK, 3, "an object link like \"3:0\"");
    }

    @Test
    void coreLinkAndValuelessResourcesCannotBeWritten() {
        for (ResourceModel model : new ResourceModel[] { LINKS, REBOOT }) {
            assertThatThrownBy(() -> WriteValues.convert(model, "x"))
                    .isInstanceOfSatisfying(OperationException.class,
                            e -> assertThat(e.reason()).isEqualTo(OperationException.Reason.INVALID_REQUEST))
                    .hasMessageContaining("resource " + model.id + " (" + model.name + ")")
                    .hasMessageContaining(model.type.name())
                    .hasMessageContaining("cannot be written");
        }
    }

    @Test
    void missingValueIsRefusedForEveryType() {
        for (ResourceModel model : new ResourceModel[] { ON_OFF, DIMMER, SET_POINT, APPLICATION_TYPE, DATA }) {
            assertThatThrownBy(() -> WriteValues.convert(model, null))
                    .isInstanceOfSatisfying(OperationException.class,
                            e -> assertThat(e.reason()).isEqualTo(OperationException.Reason.INVALID_REQUEST))
                    .hasMessageContaining("resource " + model.id + " (" + model.name + ")");
        }
    }

    /** Converts and checks that Leshan accepts the result as a value of the resource's type. */
    private static Object convert(ResourceModel model, Object json) {
        Object converted = WriteValues.convert(model, json);
        LwM2mSingleResource node = LwM2mSingleResource.newResource(model.id, converted, model.type);
        assertThat(node.getValue()).isSameAs(converted);
        return converted;
    }

    private static void assertRefused(ResourceModel model, Object json, String expected) {
        String shown = json instanceof String ? "\"" + json + "\"" : String.valueOf(json);
        assertThatThrownBy(() -> WriteValues.convert(model, json))
                .isInstanceOfSatisfying(OperationException.class,
                        e -> assertThat(e.reason()).isEqualTo(OperationException.Reason.INVALID_REQUEST))
                .hasMessage("resource " + model.id + " (" + model.name + ") takes " + expected + ", not " + shown);
    }

    private static ResourceModel model(int id, String name, Type type) {
        Operations operations = type == Type.NONE ? Operations.E : Operations.RW;
        return new ResourceModel(id, name, operations, false, false, type, null, null, null);
    }
}
