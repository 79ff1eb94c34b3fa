package org.orbis.client.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration written as a number with a unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}), a plain number of
 * seconds ({@code 5}, {@code 0.5}) or ISO-8601 ({@code PT5S}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    public static final String FORMAT = "a number with unit ms, s, m or h (500ms, 5s, 2m), plain seconds, or ISO-8601";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("pt")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        }
        Matcher matcher = WITH_UNIT.matcher(text);
        if (!matcher.matches()) {
            throw invalid(value);
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        double millis = switch (unit) {
        case "ms" -> amount;
        case "s" -> amount * 1_000;
        case "m" -> amount * 60_000;
        default -> amount * 3_600_000;
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("'" + value + "' is not a duration; use " + FORMAT);
    }
}
