package org.orbis.client.cli;

import java.net.InetSocketAddress;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A local address {@code host}, {@code host:port}, {@code [ipv6]:port} or {@code :port}; no port means any port. */
public final class SocketAddressConverter implements ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        String text = value.strip();
        String host = text;
        int port = 0;
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        if (colon >= 0 && (!bracketed || colon > text.indexOf(']')) && (bracketed || text.indexOf(':') == colon)) {
            host = text.substring(0, colon);
            port = parsePort(value, text.substring(colon + 1));
        }
        if (bracketed) {
            if (!host.endsWith("]")) {
                throw invalid(value);
            }
            host = host.substring(1, host.length() - 1);
        }
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new TypeConversionException("'" + host + "' is not a known host or IP address");
        }
        return address;
    }

    private static int parsePort(String value, String port) {
        try {
            int number = Integer.parseInt(port);
            if (number < 0 || number > 65535) {
                throw invalid(value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw invalid(value);
        }
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException(
                "'" + value + "' is not a local address; use host, host:port, [ipv6]:port or :port (port 0-65535)");
    }
}
