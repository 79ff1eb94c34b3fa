package org.orbis.client.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A number of bytes: {@code 1048576}, {@code 512KiB}, {@code 1MiB} (also {@code k}, {@code m}, both binary). */
public final class ByteSizeConverter implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib)?");

    @Override
    public Long convert(String value) {
        Matcher matcher = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size; use bytes, or a number with KiB or MiB");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        return switch (unit.charAt(0)) {
            case 'k' -> amount * 1024;
            case 'm' -> amount * 1024 * 1024;
            default -> amount;
        };
    }
}
