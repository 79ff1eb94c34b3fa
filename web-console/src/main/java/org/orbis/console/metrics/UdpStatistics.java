package org.orbis.console.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's UDP counters from {@code /proc/net/snmp} (Linux, whole host): datagrams dropped because a socket's
 * receive buffer was full are the first sign that the DM server cannot keep up (field notes §10). Absent elsewhere.
 */
final class UdpStatistics {

    private static final Path SNMP = Path.of("/proc/net/snmp");

    private UdpStatistics() {
    }

    static void bindTo(MeterRegistry registry) {
        if (!Files.isReadable(SNMP)) {
            return;
        }
        FunctionCounter.builder("orbis.udp.receive.buffer.errors", SNMP, path -> read("RcvbufErrors"))
                .description("UDP datagrams the kernel dropped because a receive buffer was full (host-wide)")
                .register(registry);
        FunctionCounter.builder("orbis.udp.in.errors", SNMP, path -> read("InErrors"))
                .description("UDP datagrams the kernel could not deliver (host-wide)").register(registry);
    }

    private static double read(String field) {
        try {
            List<String> lines = Files.readAllLines(SNMP);
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    for (int k = 1; k < names.length && k < values.length; k++) {
                        if (names[k].equals(field)) {
                            return Double.parseDouble(values[k]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
