package org.orbis.bench;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.leshan.server.californium.LeshanServerBuilder;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.client.firmware.FirmwarePackage;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.console.platform.PlatformSettings;
import org.orbis.console.platform.SecuritySettings;
import org.orbis.server.firmware.FirmwareService;
import org.orbis.server.firmware.TargetQuery;
import org.orbis.world.firmware.Campaign;
import org.orbis.world.firmware.CampaignPolicy;
import org.orbis.world.firmware.CampaignState;
import org.orbis.world.firmware.Delivery;
import org.orbis.world.firmware.FirmwareImage;
import org.orbis.world.firmware.NewImage;
import org.orbis.world.store.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Time for a firmware campaign to update a fleet of reference devices by pull over DTLS (blocks of 1024 bytes), the
 * bytes per second the DM server serves, and the server's CPU time per device updated. Baseline in the same run: the
 * same devices' credentials download the same package with the same downloader code from a bare Californium CoAPS
 * server (no LwM2M, no campaign, no database). Optionally a second campaign by push. The fleet runs in a child JVM so
 * that this JVM's CPU time is the server's alone.
 */
@Command(name = "firmware", mixinStandardHelpOptions = true,
        description = "Firmware campaign over DTLS: time, bytes/s served and server CPU per device, against a bare Californium CoAPS transfer.")
public final class FirmwareBenchmark implements Callable<Integer> {

    @Option(names = "--devices", defaultValue = "100", description = "Reference devices to update (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--image-size", defaultValue = "1048576", description = "Firmware image size in bytes (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--concurrency", defaultValue = "100", description = "Devices updated at once, in the campaign and the baseline (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--push", description = "Also run a second campaign that pushes the next version (Block1 writes of /5/0/0).")
    boolean push;

    @Option(names = "--out", description = "Also write the figures as JSON to this file.")
    Path out;

    private static final org.orbis.world.graph.ResourcePath FIRMWARE_VERSION =
            org.orbis.world.graph.ResourcePath.of(3, 0, 3);

    private final Map<String, Object> figures = new LinkedHashMap<>();

    public static void main(String[] args) {
        quietLogs();
        System.exit(new CommandLine(new FirmwareBenchmark()).execute(args));
    }

    /** Warnings and errors only: the figures are what this prints. */
    static void quietLogs() {
        for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "org.orbis", "org.eclipse")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = Files.createTempDirectory("orbis-bench-firmware");
        try (OrbisPlatform platform = new OrbisPlatform(PlatformSettings.forTests(DatabaseSettings.embeddedH2(dataDir)),
                SecuritySettings.forTests()).start()) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                String endpoint = String.format(Locale.ROOT, "fw-bench-%04d", i);
                byte[] key = psk(i);
                platform.provisioning().provision(new ProvisioningRequest(endpoint, null, null, endpoint, key));
                lines.add(endpoint + " " + HexFormat.of().formatHex(key));
            }
            Path devicesFile = dataDir.resolve("devices.txt");
            Files.write(devicesFile, lines);
            byte[] pkg = FirmwarePackage.of("orbis-reference", "2.0.0", image(imageSize, 2)).encode();
            System.out.printf(Locale.ROOT, "Firmware campaign: %d reference devices (child JVM), %d-byte package, "
                    + "pull over DTLS-PSK (AES-128-CCM-8) in 1024-byte blocks, %d at once%n%n", devices, pkg.length,
                    concurrency);

            Process fleet = new ProcessBuilder(javaCommand(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                    FirmwareFleet.class.getName(), platform.dmServerUri(), devicesFile.toString())
                    .redirectError(dataDir.resolve("fleet.log").toFile()).start();
            BufferedReader answers = new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter commands = new PrintWriter(fleet.getOutputStream(), true, StandardCharsets.UTF_8);
            expect(answers, "READY");
            FirmwareService firmware = platform.dmServer().firmware();
            List<String> endpoints = lines.stream().map(line -> line.split(" ")[0]).toList();
            waitForVersion(platform, endpoints, "1.0.0");

            try (BareServer bare = new BareServer(lines, pkg)) {
                long cpu = cpuNanos();
                long started = System.nanoTime();
                commands.println("BASELINE coaps://127.0.0.1:" + bare.port() + "/fw " + concurrency);
                String[] done = expect(answers, "BASELINE_DONE");
                report("baseline: bare Californium CoAPS", Long.parseLong(done[1]), System.nanoTime() - started,
                        cpuNanos() - cpu);
            }

            FirmwareImage image = firmware.upload(new NewImage("orbis-reference", "2.0.0", null, sha256(pkg)),
                    new ByteArrayInputStream(pkg));
            runCampaign("Orbis campaign, pull", platform, firmware, image, Delivery.PULL, pkg.length);
            commands.println("VERSIONS 2.0.0");
            System.out.println("devices reporting 2.0.0: " + expect(answers, "VERSIONS")[1]);

            if (push) {
                byte[] next = FirmwarePackage.of("orbis-reference", "3.0.0", image(imageSize, 3)).encode();
                FirmwareImage pushed = firmware.upload(new NewImage("orbis-reference", "3.0.0", null, sha256(next)),
                        new ByteArrayInputStream(next));
                waitForVersion(platform, endpoints, "2.0.0");
                runCampaign("Orbis campaign, push", platform, firmware, pushed, Delivery.PUSH, next.length);
                commands.println("VERSIONS 3.0.0");
                System.out.println("devices reporting 3.0.0: " + expect(answers, "VERSIONS")[1]);
            }
            commands.println("EXIT");
            fleet.waitFor(30, TimeUnit.SECONDS);
            fleet.destroy();
            if (out != null) {
                StringBuilder json = new StringBuilder("{\"measured_at\":\"" + Instant.now() + "\"");
                figures.forEach((key, value) -> json.append(",\"").append(key).append("\":").append(value));
                Files.writeString(out, json.append("}\n").toString());
            }
            return 0;
        }
    }

    private void runCampaign(String label, OrbisPlatform platform, FirmwareService firmware, FirmwareImage image,
            Delivery delivery, int packageBytes) throws InterruptedException {
        long served = firmware.transferStats().bytes();
        long cpu = cpuNanos();
        long started = System.nanoTime();
        Campaign campaign = firmware.createCampaign("bench " + image.version(), image.id(), delivery,
                new TargetQuery(null, null, null, null), new CampaignPolicy(CampaignPolicy.ALL, concurrency, 0, 0.2, 3,
                        Duration.ofSeconds(5), Duration.ofMinutes(10)));
        while (!firmware.campaign(campaign.id()).orElseThrow().state().isFinal()) {
            Thread.sleep(100);
        }
        long elapsed = System.nanoTime() - started;
        Campaign finished = firmware.campaign(campaign.id()).orElseThrow();
        if (finished.state() != CampaignState.SUCCEEDED) {
            throw new IllegalStateException(label + " ended " + finished.state().label() + ": " + finished.reason());
        }
        long bytes = delivery == Delivery.PULL ? firmware.transferStats().bytes() - served : (long) packageBytes * devices;
        report(label, bytes, elapsed, cpuNanos() - cpu);
    }

    private void report(String label, long bytes, long nanos, long cpuNanos) {
        double seconds = nanos / 1e9;
        double rate = bytes / seconds;
        double cpuPerDevice = cpuNanos / 1e6 / devices;
        System.out.printf(Locale.ROOT, "%-40s %6.2f s  %8.2f MiB  %7.2f MiB/s  server CPU %7.1f ms/device%n", label,
                seconds, bytes / 1048576.0, rate / 1048576.0, cpuPerDevice);
        String key = label.replaceAll("[^A-Za-z]+", "_").toLowerCase(Locale.ROOT).replaceAll("^_|_$", "");
        figures.put(key + "_seconds", String.format(Locale.ROOT, "%.3f", seconds));
        figures.put(key + "_bytes_per_s", String.format(Locale.ROOT, "%.0f", rate));
        figures.put(key + "_server_cpu_ms_per_device", String.format(Locale.ROOT, "%.2f", cpuPerDevice));
    }

    /** Until every device reports {@code version} in the world model (their observations are in place). */
    private void waitForVersion(OrbisPlatform platform, List<String> endpoints, String version)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (endpoints.stream().allMatch(endpoint -> platform.world().value(endpoint, FIRMWARE_VERSION)
                    .map(value -> value.value().text().equals(version)).orElse(false))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("devices did not all report firmware " + version);
    }

    private static String[] expect(BufferedReader answers, String word) throws java.io.IOException {
        for (String line = answers.readLine(); line != null; line = answers.readLine()) {
            String[] words = line.split(" ");
            if (words[0].equals(word)) {
                return words;
            }
        }
        throw new IllegalStateException("the fleet process ended before answering " + word);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static byte[] psk(int index) {
        byte[] key = new byte[16];
        new Random(index).nextBytes(key);
        return key;
    }

    private static byte[] image(int size, long seed) {
        byte[] image = new byte[size];
        new Random(seed).nextBytes(image);
        return image;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A plain Californium CoAPS server with the devices' PSKs and the package at /fw, served by Californium's own Block2. */
    private static final class BareServer implements AutoCloseable {

        private final CoapServer server;
        private final DTLSConnector connector;

        BareServer(List<String> devices, byte[] pkg) throws Exception {
            AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
            for (String line : devices) {
                String[] device = line.split(" ");
                keys.setKey(device[0], HexFormat.of().parseHex(device[1]));
            }
            Configuration config = LeshanServerBuilder.createDefaultCoapConfiguration();
            config.set(CoapConfig.PREFERRED_BLOCK_SIZE, 1024);
            config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, Math.max(8192, pkg.length * 2));
            config.set(org.eclipse.californium.elements.config.UdpConfig.UDP_RECEIVE_BUFFER_SIZE, 4 * 1024 * 1024);
            connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                    .setAddress(new InetSocketAddress("127.0.0.1", 0)).setAdvancedPskStore(keys)
                    .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY).build());
            server = new CoapServer(config);
            server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build());
            server.add(new CoapResource("fw") {
                @Override
                public void handleGET(CoapExchange exchange) {
                    exchange.respond(ResponseCode.CONTENT, pkg);
                }
            });
            server.start();
        }

        int port() {
            return connector.getAddress().getPort();
        }

        @Override
        public void close() {
            server.destroy();
        }
    }
}
