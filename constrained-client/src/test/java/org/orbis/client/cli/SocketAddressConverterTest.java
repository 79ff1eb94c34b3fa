package org.orbis.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

class SocketAddressConverterTest {

    private final SocketAddressConverter converter = new SocketAddressConverter();

    @Test
    void acceptsHostsWithOrWithoutPortsAndBracketedIpv6() {
        assertThat(converter.convert("127.0.0.1")).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
        assertThat(converter.convert("127.0.0.1:5700")).isEqualTo(new InetSocketAddress("127.0.0.1", 5700));
        assertThat(converter.convert("[::1]:5700")).isEqualTo(new InetSocketAddress("::1", 5700));
        assertThat(converter.convert("::1")).isEqualTo(new InetSocketAddress("::1", 0));
        assertThat(converter.convert(":5700")).isEqualTo(new InetSocketAddress(5700));
    }

    @Test
    void rejectsPortsOutOfRange() {
        assertThatThrownBy(() -> converter.convert("127.0.0.1:70000")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("port 0-65535");
    }
}
