package org.orbis.client.cli;

import java.util.HexFormat;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A pre-shared key in hexadecimal ({@code 0x} prefix optional). Error messages never repeat the key. */
public final class HexKeyConverter implements ITypeConverter<PskKey> {

    @Override
    public PskKey convert(String value) {
        String hex = value.strip();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (hex.isEmpty()) {
            throw new TypeConversionException("the PSK key is empty; give it as hex digits, e.g. 0123456789abcdef");
        }
        if (hex.length() % 2 != 0) {
            throw new TypeConversionException("the PSK key must be hex with an even number of digits (two per byte)");
        }
        try {
            return new PskKey(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("the PSK key must be hexadecimal (0-9, a-f), e.g. 0123456789abcdef");
        }
    }
}
