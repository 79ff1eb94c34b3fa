package org.orbis.server.operations;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HexFormat;
import org.eclipse.leshan.core.model.ResourceModel;
import org.eclipse.leshan.core.node.ObjectLink;
import org.eclipse.leshan.core.util.datatype.ULong;

/**
 * Converts a JSON scalar an operator sent (boolean, number or string) into the Leshan value of a resource's type, or
 * says exactly what was expected.
 */
final class WriteValues {

    private WriteValues() {
    }

    static Object convert(ResourceModel model, Object json) {
        if (json == null) {
            throw new OperationException(OperationException.Reason.INVALID_REQUEST, "resource " + model.id + " ("
                    + model.name + ") takes " + describe(model.type) + ", not null");
        }
        try {
            return switch (model.type) {
                case BOOLEAN -> toBoolean(model, json);
                case INTEGER -> toInteger(model, json).longValueExact();
                case UNSIGNED_INTEGER -> {
                    BigInteger value = toInteger(model, json);
                    if (value.signum() < 0) {
                        throw invalid(model, "an unsigned integer", json);
                    }
                    yield ULong.valueOf(value);
                }
                case FLOAT -> {
                    double value = toNumber(model, json).doubleValue();
                    if (!Double.isFinite(value)) {
                        throw invalid(model, "a finite number", json);
                    }
                    yield value;
                }
                case STRING -> json instanceof String text ? text : json.toString();
                case OPAQUE -> HexFormat.of().parseHex(requireString(model, json, "a hex string"));
                case TIME -> json instanceof Number ? new Date(Math.multiplyExact(toInteger(model, json).longValueExact(), 1000L))
                        : Date.from(Instant.parse(requireString(model, json, "an ISO-8601 time or epoch seconds")));
                case OBJLNK -> {
                    String text = requireString(model, json, "an object link like \"3:0\"");
                    String[] parts = text.split(":");
                    if (parts.length != 2) {
                        throw invalid(model, "an object link like \"3:0\"", json);
                    }
                    yield new ObjectLink(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                }
                default -> throw new OperationException(OperationException.Reason.INVALID_REQUEST,
                        "resource " + model.id + " (" + model.name + ") has type " + model.type + " and cannot be written");
            };
        } catch (ArithmeticException | IllegalArgumentException | DateTimeParseException e) {
            throw invalid(model, describe(model.type), json);
        }
    }

    private static Boolean toBoolean(ResourceModel model, Object json) {
        if (json instanceof Boolean value) {
            return value;
        }
        if ("true".equals(json) || "false".equals(json)) {
            return Boolean.valueOf((String) json);
        }
        throw invalid(model, "true or false", json);
    }

    private static BigInteger toInteger(ResourceModel model, Object json) {
        return toNumber(model, json).toBigIntegerExact();
    }

    private static BigDecimal toNumber(ResourceModel model, Object json) {
        if (json instanceof Number || json instanceof String) {
            return new BigDecimal(json.toString());
        }
        throw invalid(model, describe(model.type), json);
    }

    private static String requireString(ResourceModel model, Object json, String expected) {
        if (json instanceof String text) {
            return text;
        }
        throw invalid(model, expected, json);
    }

    private static String describe(ResourceModel.Type type) {
        return switch (type) {
            case INTEGER -> "an integer";
            case UNSIGNED_INTEGER -> "an unsigned integer";
            case FLOAT -> "a number";
            case OPAQUE -> "a hex string";
            case TIME -> "an ISO-8601 time or epoch seconds";
            case OBJLNK -> "an object link like \"3:0\"";
            default -> "a " + type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static OperationException invalid(ResourceModel model, String expected, Object actual) {
        return new OperationException(OperationException.Reason.INVALID_REQUEST, "resource " + model.id + " ("
                + model.name + ") takes " + expected + ", not " + (actual instanceof String ? "\"" + actual + "\"" : actual));
    }
}
