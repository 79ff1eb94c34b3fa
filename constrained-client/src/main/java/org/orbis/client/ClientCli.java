package org.orbis.client;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.orbis.client.cli.ByteSizeConverter;
import org.orbis.client.cli.CoapsUriConverter;
import org.orbis.client.cli.DurationConverter;
import org.orbis.client.cli.HexKeyConverter;
import org.orbis.client.cli.KeyFiles;
import org.orbis.client.cli.PskKey;
import org.orbis.client.cli.SocketAddressConverter;
import org.orbis.client.cli.VersionProvider;
import org.orbis.client.firmware.FirmwareDelivery;
import org.orbis.client.firmware.FirmwareFailure;
import org.orbis.client.firmware.FirmwareSettings;
import org.orbis.client.firmware.FirmwareStatus;
import org.orbis.client.objects.LightState;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs one reference client from the command line until Ctrl-C, printing one status line per registration or light
 * change on standard output (logs go to standard error). Usage errors exit with code 2.
 */
@Command(name = "orbis-client", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Orbis reference constrained LwM2M client (DTLS with PSK, RPK or X.509). It exposes Security (0), Server (1), "
                + "Device (3), Connectivity Monitoring (4), Location (6), Temperature (3303), Humidity (3304) and "
                + "Light Control (3311) and Firmware Update (5); sensor values drift every drift period, a server can "
                + "switch and dim the light and update the firmware (pull or push, --fw-* options simulate failures). "
                + "Prints a status line per registration, light change or firmware step; on Ctrl-C it deregisters "
                + "before exiting.%n",
        footer = { "%nExamples:",
                "  orbis-client --server coaps://127.0.0.1:5684 --endpoint dev-1 --psk-key 0011223344556677",
                "  orbis-client --server coaps://127.0.0.1:5684 --endpoint orbis-dev-device --cert certs/dev/orbis-dev-device.der \\",
                "               --key certs/dev/orbis-dev-device.key.der --ca certs/dev/ca.pem",
                "  orbis-client --server coaps://127.0.0.1:5684 --endpoint dev-rpk --rpk-public-key dev-rpk.pub.der \\",
                "               --rpk-private-key dev-rpk.key.der --rpk-server-key certs/dev/dm-server.pub.der",
                "  ORBIS_PSK_KEY=0011223344556677 orbis-client --bootstrap coaps://127.0.0.1:5784 --endpoint dev-1" })
public final class ClientCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Where to connect (exactly one):%n")
    private Target target;

    @Option(names = "--endpoint", paramLabel = "NAME", defaultValue = "${env:ORBIS_ENDPOINT}",
            description = "LwM2M endpoint name (env ORBIS_ENDPOINT). Required.")
    private String endpoint;

    @Option(names = "--psk-identity", paramLabel = "ID", defaultValue = "${env:ORBIS_PSK_IDENTITY}",
            description = "PSK identity (env ORBIS_PSK_IDENTITY). Default: the endpoint name.")
    private String pskIdentity;

    @Option(names = "--psk-key", paramLabel = "HEX", converter = HexKeyConverter.class,
            defaultValue = "${env:ORBIS_PSK_KEY}", showDefaultValue = Visibility.NEVER,
            description = "Pre-shared key in hex, 1-64 bytes (env ORBIS_PSK_KEY, which keeps it out of the process list).")
    private PskKey pskKey;

    @Option(names = "--rpk-public-key", paramLabel = "FILE", description = "RPK: the device's EC public key (PEM or DER).")
    private Path rpkPublicKey;

    @Option(names = "--rpk-private-key", paramLabel = "FILE", description = "RPK: the device's EC private key (PKCS#8, PEM or DER).")
    private Path rpkPrivateKey;

    @Option(names = "--rpk-server-key", paramLabel = "FILE", description = "RPK: the server's public key, which the client pins (PEM or DER).")
    private Path rpkServerKey;

    @Option(names = "--cert", paramLabel = "FILE", description = "X.509: the device certificate, CN = endpoint (PEM or DER).")
    private Path certificate;

    @Option(names = "--key", paramLabel = "FILE", description = "X.509: the device's private key (PKCS#8, PEM or DER).")
    private Path certificateKey;

    @Option(names = "--ca", paramLabel = "FILE", description = "X.509: the CA that issued the server's certificate, or the server's certificate itself (PEM or DER).")
    private Path ca;

    @Option(names = "--drift-period", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often sensor values drift: 500ms, 5s, 2m, plain seconds or ISO-8601 (PT5S). Default: 5s.")
    private Duration driftPeriod;

    @Option(names = "--lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Registration lifetime with --server (a bootstrap server sets its own). Default: 5m.")
    private Duration lifetime;

    @Option(names = "--print-view",
            description = "Print every copy of a World View (object 33100) a server writes to the device, entry by entry.")
    private boolean printView;

    @Option(names = "--queue-mode",
            description = "Use LwM2M queue mode: stay awake --awake after each registration or update, then sleep --sleep (requests from the server are dropped while asleep).")
    private boolean queueMode;

    @Option(names = "--awake", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = "Awake window in queue mode. Default: ${DEFAULT-VALUE}.")
    private Duration awake;

    @Option(names = "--sleep", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "50s",
            description = "Sleep time between awake windows in queue mode. Default: ${DEFAULT-VALUE}.")
    private Duration sleep;

    @Option(names = "--firmware-version", paramLabel = "VERSION",
            description = "Firmware version the device runs at start (/3/0/3). Default: 1.0.0.")
    private String firmwareVersion;

    @Option(names = "--fw-delivery", paramLabel = "pull|push|both", defaultValue = "both",
            converter = DeliveryConverter.class,
            description = "How the device accepts firmware packages (/5/0/9). Default: ${DEFAULT-VALUE}.")
    private FirmwareDelivery firmwareDelivery;

    @Option(names = "--fw-storage", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Room for one firmware package, e.g. 512KiB; bigger packages fail with Update Result 2. Default: 4MiB.")
    private Long firmwareStorage;

    @Option(names = "--fw-block-size", paramLabel = "BYTES", defaultValue = "1024",
            description = "Block size the device asks for when it pulls a package (16..1024). Default: ${DEFAULT-VALUE}.")
    private int firmwareBlockSize;

    @Option(names = "--fw-block-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Least time between two block requests of a pull download (a slow radio), e.g. 50ms. Default: none.")
    private Duration firmwareBlockInterval;

    @Option(names = "--fw-fail", paramLabel = "FAILURE", converter = FailureConverter.class,
            description = "Simulate a firmware update failure: integrity, out-of-storage, unsupported-protocol, "
                    + "connection-lost, update-failed or reboot-mid-download.")
    private FirmwareFailure firmwareFailure;

    @Option(names = "--local-address", paramLabel = "HOST[:PORT]", converter = SocketAddressConverter.class,
            description = "Local address to bind: host, host:port, [ipv6]:port or :port. Default: any address, any port.")
    private InetSocketAddress localAddress;

    @Option(names = "--handshake-after-silence", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Handshake again before sending when nothing was exchanged for this long, so that the client "
                    + "finds its way back after a server crash or a NAT timeout without waiting for its next Update. Default: off.")
    private Duration handshakeAfterSilence;

    /** {@code pull}, {@code push} or {@code both}. */
    static final class DeliveryConverter implements CommandLine.ITypeConverter<FirmwareDelivery> {
        @Override
        public FirmwareDelivery convert(String value) {
            try {
                return FirmwareDelivery.fromLabel(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code integrity}, {@code out-of-storage}, … */
    static final class FailureConverter implements CommandLine.ITypeConverter<FirmwareFailure> {
        @Override
        public FirmwareFailure convert(String value) {
            try {
                return FirmwareFailure.fromLabel(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Target {
        @Option(names = "--server", paramLabel = "coaps://HOST:PORT", converter = CoapsUriConverter.class,
                required = true, description = "Register directly to this LwM2M server (default port 5684).")
        URI server;

        @Option(names = "--bootstrap", paramLabel = "coaps://HOST:PORT", converter = CoapsUriConverter.class,
                required = true, description = "Get server credentials from this bootstrap server (default port 5784).")
        URI bootstrap;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("fleet")) {
            org.orbis.client.fleet.FleetCli.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int exitCode = commandLine().execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The configured command; {@code execute} returns 0 after --help, 2 on usage errors. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ClientCli());
        commandLine.setParameterExceptionHandler((error, args) -> {
            PrintWriter err = error.getCommandLine().getErr();
            err.println(error.getMessage());
            err.println("Run 'orbis-client --help' for usage.");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        return commandLine;
    }

    /** Validates the options and builds the client, without starting it. */
    ReferenceClient buildClient() {
        if (endpoint == null || endpoint.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--endpoint=NAME' (or ORBIS_ENDPOINT)");
        }
        boolean rpk = rpkPublicKey != null || rpkPrivateKey != null || rpkServerKey != null;
        boolean x509 = certificate != null || certificateKey != null || ca != null;
        if (pskKey == null && !rpk && !x509) {
            throw new ParameterException(spec.commandLine(), "Missing credentials: give '--psk-key=HEX' (or "
                    + "ORBIS_PSK_KEY), or --rpk-public-key/--rpk-private-key/--rpk-server-key, or --cert/--key/--ca");
        }
        try {
            ReferenceClientBuilder builder = ReferenceClient.builder()
                    .endpoint(endpoint)
                    .server(target.server)
                    .bootstrapServer(target.bootstrap);
            if (queueMode) {
                builder.queueMode(awake, sleep);
            }
            if (pskKey != null || !rpk && !x509) {
                builder.pskIdentity(pskIdentity).pskKey(pskKey == null ? null : pskKey.bytes());
            }
            if (rpk) {
                builder.rpk(rpkPublicKey == null ? null : KeyFiles.publicKey(rpkPublicKey),
                        rpkPrivateKey == null ? null : KeyFiles.privateKey(rpkPrivateKey),
                        rpkServerKey == null ? null : KeyFiles.publicKey(rpkServerKey));
            }
            if (x509) {
                builder.x509(certificate == null ? null : KeyFiles.certificate(certificate),
                        certificateKey == null ? null : KeyFiles.privateKey(certificateKey),
                        ca == null ? null : KeyFiles.certificate(ca));
            }
            FirmwareSettings firmware = FirmwareSettings.defaults()
                    .withDelivery(firmwareDelivery)
                    .withBlockSize(firmwareBlockSize);
            if (firmwareStorage != null) {
                firmware = firmware.withStorageBytes(firmwareStorage);
            }
            if (firmwareBlockInterval != null) {
                firmware = firmware.withBlockInterval(firmwareBlockInterval);
            }
            if (firmwareFailure != null) {
                firmware = firmware.withFailure(firmwareFailure);
            }
            return builder
                    .firmwareVersion(firmwareVersion)
                    .firmware(firmware)
                    .driftPeriod(driftPeriod)
                    .lifetime(lifetime)
                    .localAddress(localAddress)
                    .handshakeAfterSilence(handshakeAfterSilence)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, null);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ReferenceClient client = buildClient();
        PrintWriter out = spec.commandLine().getOut();
        client.addListener(new StatusPrinter(out, client.endpoint()));
        if (printView) {
            client.addListener(new ClientEventListener() {
                @Override
                public void onWorldViewChanged(org.orbis.client.objects.WorldViewSnapshot view) {
                    status(out, view.describe());
                }
            });
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            status(out, "stopping " + client.endpoint() + (client.isRegistered() ? ", deregistering" : ""));
            client.destroy(true);
            status(out, "stopped");
            stopped.countDown();
        }, "orbis-client-shutdown"));
        status(out, "starting " + client.endpoint() + ", " + (client.usesBootstrap() ? "bootstrap server " : "server ")
                + client.configuredServer());
        client.start();
        stopped.await();
        return 0;
    }

    private static void status(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }

    /** One line per event on standard output, for people and scripts watching the client. */
    private record StatusPrinter(PrintWriter out, String endpoint) implements ClientEventListener {

        @Override
        public void onBootstrapped(String bootstrapServerUri) {
            status(out, "bootstrapped by " + bootstrapServerUri);
        }

        @Override
        public void onBootstrapFailed(String bootstrapServerUri, String reason) {
            status(out, "bootstrap with " + bootstrapServerUri + " failed: " + reason + " (will retry)");
        }

        @Override
        public void onRegistered(String serverUri, String registrationId) {
            status(out, "registered to " + serverUri + " as " + endpoint);
        }

        @Override
        public void onRegistrationFailed(String serverUri, String reason) {
            status(out, "registration to " + serverUri + " failed: " + reason + " (will retry)");
        }

        @Override
        public void onDeregistered(String serverUri, boolean acknowledged) {
            status(out, acknowledged ? "deregistered from " + serverUri
                    : "deregistration from " + serverUri + " not acknowledged; the server will expire the registration");
        }

        @Override
        public void onLightChanged(LightState state) {
            status(out, "light " + state);
        }

        @Override
        public void onFirmwareStatus(FirmwareStatus firmware) {
            status(out, "firmware " + FirmwareStatus.stateName(firmware.state())
                    + (firmware.updateResult() == 0 ? "" : ", " + FirmwareStatus.resultName(firmware.updateResult()))
                    + (firmware.packageVersion().isEmpty() ? "" : ", package " + firmware.packageVersion()));
        }

        @Override
        public void onFirmwareInstalled(String version) {
            status(out, "rebooted into firmware " + version);
        }
    }
}
