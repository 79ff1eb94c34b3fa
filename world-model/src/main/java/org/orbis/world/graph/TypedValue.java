package org.orbis.world.graph;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A resource value with its LwM2M type, held in one canonical text form so that it can be stored, compared and
 * shipped without loss: decimal for integers, {@link Double#toString} for floats, {@code true}/{@code false},
 * lower-case hex for opaque, ISO-8601 for time, {@code object:instance} for object links.
 */
public record TypedValue(ValueType type, String text) {

    private static final HexFormat HEX = HexFormat.of();

    public TypedValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
    }

    public static TypedValue ofInteger(long value) {
        return new TypedValue(ValueType.INTEGER, Long.toString(value));
    }

    public static TypedValue ofUnsigned(BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("unsigned integer cannot be negative: " + value);
        }
        return new TypedValue(ValueType.UNSIGNED_INTEGER, value.toString());
    }

    public static TypedValue ofFloat(double value) {
        return new TypedValue(ValueType.FLOAT, Double.toString(value));
    }

    public static TypedValue ofBoolean(boolean value) {
        return new TypedValue(ValueType.BOOLEAN, Boolean.toString(value));
    }

    public static TypedValue ofString(String value) {
        return new TypedValue(ValueType.STRING, value);
    }

    public static TypedValue ofOpaque(byte[] value) {
        return new TypedValue(ValueType.OPAQUE, HEX.formatHex(value));
    }

    public static TypedValue ofTime(Instant value) {
        return new TypedValue(ValueType.TIME, value.toString());
    }

    public static TypedValue ofObjectLink(int objectId, int instanceId) {
        return new TypedValue(ValueType.OBJLNK, objectId + ":" + instanceId);
    }

    public static TypedValue ofCoreLink(String value) {
        return new TypedValue(ValueType.CORELNK, value);
    }

    /** The value as a double for numeric types (used for charts and range queries), else {@code null}. */
    public Double numeric() {
        return type.isNumeric() ? Double.valueOf(text) : null;
    }

    /** The value as the natural JSON scalar: a number, a boolean or a string. */
    public Object json() {
        return switch (type) {
            case INTEGER -> Long.parseLong(text);
            case UNSIGNED_INTEGER -> new BigInteger(text);
            case FLOAT -> Double.parseDouble(text);
            case BOOLEAN -> Boolean.parseBoolean(text);
            default -> text;
        };
    }

    public byte[] opaqueBytes() {
        if (type != ValueType.OPAQUE) {
            throw new IllegalStateException("not an opaque value: " + type);
        }
        return HEX.parseHex(text);
    }
}
