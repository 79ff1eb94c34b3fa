package org.orbis.client.fleet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.orbis.client.cli.CoapsUriConverter;
import org.orbis.client.cli.DurationConverter;
import org.orbis.client.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code orbis-client fleet}: runs N virtual devices against a DM server and prints progress and a summary. Devices
 * come from a credentials file, or are provisioned through the Orbis HTTP API first (and then written to the file).
 */
@Command(name = "orbis-client fleet", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Simulates a fleet of LwM2M 1.1 devices over DTLS-PSK: each registers, is observed on "
                + "/3303/0 and notifies its temperature. Thousands of devices per JVM (one socket each, shared "
                + "threads). Prints a progress line every few seconds and a summary at the end.%n",
        footer = {"%nExamples:",
                "  orbis-client fleet --server coaps://127.0.0.1:5684 --provision http://127.0.0.1:8080 \\",
                "      --credentials fleet.csv --devices 1000 --registration-rate 200 --notification-rate 500 --duration 60s",
                "  orbis-client fleet --server coaps://127.0.0.1:5684 --credentials fleet.csv --first 10001 --devices 10000 \\",
                "      --bind 127.0.1.2"})
public final class FleetCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "coaps://HOST:PORT", converter = CoapsUriConverter.class,
            description = "DM server (default port 5684).")
    private URI server;

    @Option(names = "--devices", defaultValue = "100", description = "Number of devices (default: ${DEFAULT-VALUE}).")
    private int devices;

    @Option(names = "--first", defaultValue = "1",
            description = "Index of the first device: in the credentials file (1 = first line), or of the generated endpoint names (default: ${DEFAULT-VALUE}).")
    private int first;

    @Option(names = "--prefix", defaultValue = "sim-", description = "Endpoint name prefix of provisioned devices (default: ${DEFAULT-VALUE}).")
    private String prefix;

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "CSV endpoint,identity,keyhex. Read when --provision is absent; written after provisioning.")
    private Path credentialsFile;

    @Option(names = "--provision", paramLabel = "http://HOST:PORT",
            description = "Provision the devices through this Orbis HTTP API first (keys generated here).")
    private URI provision;

    @Option(names = "--api-token", paramLabel = "TOKEN", defaultValue = "${env:ORBIS_API_TOKEN}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "API token of an operator for --provision, sent as Bearer (env ORBIS_API_TOKEN, which keeps it out of the process list).")
    private String apiToken;

    @Option(names = "--registration-rate", defaultValue = "200", description = "Devices started per second (default: ${DEFAULT-VALUE}).")
    private double registrationRate;

    @Option(names = "--notification-rate", defaultValue = "100",
            description = "Notifications per second across the fleet, 0 for none (default: ${DEFAULT-VALUE}).")
    private double notificationRate;

    @Option(names = "--queue-mode", defaultValue = "0", paramLabel = "FRACTION",
            description = "Share of devices registering in queue mode, 0 to 1 (default: ${DEFAULT-VALUE}).")
    private double queueMode;

    @Option(names = "--lifetime", defaultValue = "5m", converter = DurationConverter.class,
            description = "Registration lifetime (default: ${DEFAULT-VALUE}).")
    private Duration lifetime;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to run once every device has started, then deregister (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Local address of the devices' sockets; give each fleet process its own (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--values", defaultValue = "drift", paramLabel = "drift|timestamp",
            description = "Temperature values: a drifting temperature, or the send time in epoch ms (to measure delays).")
    private String values;

    @Option(names = "--ecdhe", description = "Offer ECDHE-PSK suites too (default: plain PSK with AES-128-CCM-8 only).")
    private boolean ecdhe;

    @Option(names = "--non", description = "Send notifications as NON (default: CON, as Leshan clients do).")
    private boolean non;

    @Option(names = "--max-pending", defaultValue = "2000", description = "At most this many registrations under way (default: ${DEFAULT-VALUE}).")
    private int maxPending;

    @Option(names = "--threads", defaultValue = "4", description = "Shared worker threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--progress", defaultValue = "2s", converter = DurationConverter.class,
            description = "Interval of progress lines (default: ${DEFAULT-VALUE}).")
    private Duration progress;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path summaryJson;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FleetCli());
        commandLine.setParameterExceptionHandler((error, args) -> {
            PrintWriter err = error.getCommandLine().getErr();
            err.println(error.getMessage());
            err.println("Run 'orbis-client fleet --help' for usage.");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || first < 1) {
            throw new ParameterException(spec.commandLine(), "--devices and --first must be at least 1");
        }
        if (!values.equals("drift") && !values.equals("timestamp")) {
            throw new ParameterException(spec.commandLine(), "--values must be drift or timestamp");
        }
        FleetSettings settings;
        try {
            settings = new FleetSettings(new InetSocketAddress(server.getHost(), server.getPort()), bind,
                    registrationRate, notificationRate, queueMode, lifetime, duration, values.equals("timestamp"),
                    !ecdhe, !non, maxPending, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        List<DeviceCredential> credentials = credentials(out);
        out.printf("fleet: %d devices from %s against %s, %.0f registrations/s, %.0f notifications/s, %s%n",
                credentials.size(), credentials.get(0).endpoint(), server, registrationRate, notificationRate,
                ecdhe ? "PSK and ECDHE-PSK suites" : "plain PSK (AES-128-CCM-8)");
        out.flush();
        try (Fleet fleet = new Fleet(settings, credentials)) {
            FleetStats.Snapshot summary = fleet.run(out, progress);
            out.printf("summary: started %d, registered %d, failed %d, observed %d, re-registered %d, updates %d, "
                    + "notifications sent %d (acked %d, held back while one was in flight %d), deregistered %d, "
                    + "mean registration %.0f ms%n", summary.started(), summary.registered(),
                    credentials.size() - summary.registered(), summary.observed(), summary.reregistered(),
                    summary.updates(), summary.notificationsSent(), summary.notificationsAcked(),
                    summary.notificationsSkipped(), summary.deregistered(), summary.meanRegistrationMillis());
            out.println("errors by kind: " + (summary.errors().isEmpty() ? "none" : summary.errors()));
            out.flush();
            if (summaryJson != null) {
                Files.writeString(summaryJson, summary.toJson());
            }
            return summary.registered() == credentials.size() ? 0 : 1;
        }
    }

    private List<DeviceCredential> credentials(PrintWriter out) {
        if (provision == null) {
            if (credentialsFile == null) {
                throw new ParameterException(spec.commandLine(), "give --credentials FILE, --provision URL, or both");
            }
            if (!Files.isReadable(credentialsFile)) {
                throw new ParameterException(spec.commandLine(), "cannot read credentials file " + credentialsFile);
            }
            List<DeviceCredential> all = DeviceCredential.read(credentialsFile);
            if (all.size() < first - 1 + devices) {
                throw new ParameterException(spec.commandLine(), credentialsFile + " has " + all.size()
                        + " devices; --first " + first + " --devices " + devices + " needs " + (first - 1 + devices));
            }
            return all.subList(first - 1, first - 1 + devices);
        }
        List<DeviceCredential> generated = generate();
        out.printf("provisioning %d devices through %s …%n", generated.size(), provision);
        out.flush();
        provisionAll(generated);
        if (credentialsFile != null) {
            DeviceCredential.write(credentialsFile, generated);
        }
        return generated;
    }

    private List<DeviceCredential> generate() {
        SecureRandom random = new SecureRandom();
        int width = Math.max(5, Integer.toString(first + devices - 1).length());
        List<DeviceCredential> generated = new ArrayList<>(devices);
        for (int i = first; i < first + devices; i++) {
            String endpoint = prefix + String.format("%0" + width + "d", i);
            byte[] key = new byte[16];
            random.nextBytes(key);
            generated.add(new DeviceCredential(endpoint, endpoint, key));
        }
        return generated;
    }

    /** Provisions with the generated DM keys, 16 requests at a time; a device that already exists is an error. */
    private void provisionAll(List<DeviceCredential> credentials) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        URI devicesUri = provision.resolve("/api/devices");
        for (DeviceCredential credential : credentials) {
            String body = "{\"endpoint\":\"" + credential.endpoint() + "\",\"serverPskIdentity\":\""
                    + credential.identity() + "\",\"serverPskKey\":\"" + HexFormat.of().formatHex(credential.key())
                    + "\"}";
            inFlight.acquireUninterruptibly();
            HttpRequest.Builder request = HttpRequest.newBuilder(devicesUri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (apiToken != null && !apiToken.isBlank()) {
                request.header("Authorization", "Bearer " + apiToken);
            }
            requests.add(http.sendAsync(request.build(),
                    HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                        inFlight.release();
                        if (error != null) {
                            failures.add(credential.endpoint() + ": " + error.getMessage());
                        } else if (response.statusCode() != 201) {
                            failures.add(credential.endpoint() + ": HTTP " + response.statusCode() + " "
                                    + response.body());
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        if (!failures.isEmpty()) {
            throw new UncheckedIOException(new IOException(failures.size() + " devices could not be provisioned, e.g. "
                    + failures.get(0)));
        }
    }
}
