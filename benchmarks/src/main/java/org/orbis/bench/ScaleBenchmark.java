package org.orbis.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.orbis.client.fleet.DeviceCredential;
import org.orbis.world.store.DatabaseSettings;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench/run}: Orbis on PostgreSQL and then a bare Leshan server, each under the same simulated fleet (separate
 * fleet JVMs on the same host), with the figures printed side by side and optionally written as JSON. Bounded: every
 * wait has a deadline, and the run stops by itself.
 */
@Command(name = "bench/run scale", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Measures Orbis (all values committed to PostgreSQL) against a bare Leshan server under the same "
                + "fleet: registrations/s, time until every device is registered and observed, notifications/s "
                + "handled, send-to-commit delay, heap per device and CPU per 1,000 notifications.%n")
public final class ScaleBenchmark implements Callable<Integer> {

    private static final long OBSERVE_BUDGET_SECONDS = 90;

    @Option(names = "--devices", defaultValue = "50000", description = "Simulated devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--registration-rate", defaultValue = "1000", description = "Devices started per second (default: ${DEFAULT-VALUE}).")
    double registrationRate;

    @Option(names = "--notification-rate", defaultValue = "10000", description = "Offered notifications per second (default: ${DEFAULT-VALUE}).")
    double notificationRate;

    @Option(names = "--measure", defaultValue = "30", description = "Seconds of steady load measured (default: ${DEFAULT-VALUE}).")
    int measureSeconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--devices-per-fleet", defaultValue = "17000",
            description = "Devices per fleet JVM (sockets per process stay under the open-files limit) (default: ${DEFAULT-VALUE}).")
    int devicesPerFleet;

    @Option(names = "--fleet-heap", defaultValue = "2g", description = "-Xmx of each fleet JVM (default: ${DEFAULT-VALUE}).")
    String fleetHeap;

    @Mixin
    final BenchDatabase db = new BenchDatabase();

    @Option(names = "--skip-bare", description = "Measure Orbis only.")
    boolean skipBare;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the figures as JSON to FILE.")
    Path out;

    @Option(names = "--work-dir", defaultValue = "target/bench", description = "Logs and credentials of the run (default: ${DEFAULT-VALUE}).")
    Path workDir;

    public static void main(String[] args) {
        quietLogs();
        System.exit(new CommandLine(new ScaleBenchmark()).execute(args));
    }

    /** Figures go to standard output; of the platform's logs only warnings (back-pressure included) are kept. */
    static void quietLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("org.orbis").setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("org.eclipse").setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(workDir);
        List<DeviceCredential> credentials = credentials();
        Path credentialsFile = workDir.resolve("fleet.csv");
        DeviceCredential.write(credentialsFile, credentials);
        say("bench: %d devices, %.0f registrations/s, %.0f notifications/s offered, %d s warm-up, %d s measured; "
                + "%d CPUs, max heap %d MB", devices, registrationRate, notificationRate, warmupSeconds, measureSeconds,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        PhaseResult orbis;
        try (db) {
            DatabaseSettings database = db.open();
            say("starting Orbis and provisioning %d devices …", devices);
            long provisioning = System.nanoTime();
            try (OrbisTarget target = new OrbisTarget(database, credentials)) {
                say("provisioned in %.1f s", (System.nanoTime() - provisioning) / 1e9);
                orbis = measure(target, credentialsFile);
            }
        }
        PhaseResult bare = null;
        if (!skipBare) {
            say("starting bare Leshan …");
            try (BareLeshanTarget target = new BareLeshanTarget(credentials)) {
                bare = measure(target, credentialsFile);
            }
        }
        report(orbis, bare);
        return 0;
    }

    private List<DeviceCredential> credentials() {
        SecureRandom random = new SecureRandom();
        String prefix = "b" + Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36) + "-";
        List<DeviceCredential> list = new ArrayList<>(devices);
        for (int i = 1; i <= devices; i++) {
            byte[] key = new byte[16];
            random.nextBytes(key);
            String endpoint = prefix + i;
            list.add(new DeviceCredential(endpoint, endpoint, key));
        }
        return list;
    }

    /** Runs the fleets against {@code target} and measures ramp-up, steady load, heap and CPU. */
    private PhaseResult measure(Target target, Path credentialsFile) throws Exception {
        long baselineHeap = heapAfterGc();
        int fleets = (devices + devicesPerFleet - 1) / devicesPerFleet;
        long rampBudget = (long) (devices / registrationRate * 3) + 90;
        // the fleets outlive every phase of the measurement; they are stopped once it is done
        long fleetDuration = rampBudget + OBSERVE_BUDGET_SECONDS + warmupSeconds + measureSeconds + 60;
        List<Process> processes = new ArrayList<>();
        say("%s: %d fleet JVMs, baseline heap %d MB", target.name(), fleets, baselineHeap >> 20);
        long start = System.nanoTime();
        try {
            for (int k = 0; k < fleets; k++) {
                int first = k * devicesPerFleet + 1;
                int count = Math.min(devicesPerFleet, devices - k * devicesPerFleet);
                processes.add(startFleet(target, credentialsFile, k, first, count, fleets, fleetDuration));
            }
            double registeredAt = waitFor(() -> target.registrations() >= devices, start, rampBudget, target);
            double observedAt = waitFor(() -> target.observedDevices() >= devices, start,
                    (long) ((System.nanoTime() - start) / 1e9) + OBSERVE_BUDGET_SECONDS, target);
            int registered = target.registrations();
            say("%s: %d registered (%.1f s), %d observed (%.1f s)", target.name(), registered, registeredAt,
                    target.observedDevices(), observedAt);

            if (target instanceof OrbisTarget orbisTarget) {
                orbisTarget.analyze();
                // measure the steady state, not the drain of what queued up while devices registered
                double drained = waitFor(() -> orbisTarget.writerBacklog() < 1000, start,
                        (long) ((System.nanoTime() - start) / 1e9) + 120, target);
                say("%s: ramp-up backlog drained (%.1f s, %d updates queued)", target.name(), drained,
                        orbisTarget.writerBacklog());
            }
            TimeUnit.SECONDS.sleep(warmupSeconds);
            LatencyHistogram delays = new LatencyHistogram();
            long cpuBefore = processCpuNanos();
            long[] hostBefore = hostCpuTicks();
            long handledBefore = target.handledNotifications();
            long windowStart = System.nanoTime();
            target.recordDelays(delays);
            for (int s = 0; s < measureSeconds; s += 5) {
                TimeUnit.SECONDS.sleep(Math.min(5, measureSeconds - s));
                say("%s: %.0f s measured, %d notifications handled so far", target.name(),
                        (System.nanoTime() - windowStart) / 1e9, target.handledNotifications() - handledBefore);
            }
            target.recordDelays(null);
            double window = (System.nanoTime() - windowStart) / 1e9;
            long handled = target.handledNotifications() - handledBefore;
            double cpu = (processCpuNanos() - cpuBefore) / 1e9;
            long[] hostAfter = hostCpuTicks();
            if (target instanceof OrbisTarget orbisTarget) {
                say("%s", orbisTarget.writerSummary());
            }
            long heap = heapAfterGc();
            int live = Math.max(1, target.registrations());
            return new PhaseResult(target.name(), registered, registeredAt, observedAt,
                    registeredAt > 0 ? registered / registeredAt : 0, handled / window, delays.percentile(0.5),
                    delays.percentile(0.99), delays.max(), (heap - baselineHeap) / live,
                    handled == 0 ? Double.NaN : cpu / (handled / 1000.0), cpu / window,
                    hostBusy(hostBefore, hostAfter));
        } finally {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private Process startFleet(Target target, Path credentialsFile, int k, int first, int count, int fleets,
            long durationSeconds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + fleetHeap, "-cp",
                System.getProperty("java.class.path"), "org.orbis.client.fleet.FleetCli",
                "--server", "coaps://127.0.0.1:" + target.securePort(),
                "--credentials", credentialsFile.toString(), "--first", Integer.toString(first),
                "--devices", Integer.toString(count), "--bind", "127.0.1." + (k + 1),
                "--registration-rate", Double.toString(registrationRate / fleets),
                "--notification-rate", Double.toString(notificationRate / fleets),
                "--duration", durationSeconds + "s", "--values", "timestamp", "--threads", "2",
                "--progress", "10s",
                "--summary-json", workDir.resolve(slug(target) + "-fleet-" + k + ".json").toString()));
        File log = workDir.resolve(slug(target) + "-fleet-" + k + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static String slug(Target target) {
        return target.name().toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    /** Seconds from {@code start} until the condition held, or -1 if it did not within the budget. */
    private double waitFor(BooleanSupplier condition, long start, long budgetSeconds, Target target)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(budgetSeconds);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(10);
                say("%s: %.0f s, %d registered, %d observed", target.name(), (System.nanoTime() - start) / 1e9,
                        target.registrations(), target.observedDevices());
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Busy and total jiffies of the host from /proc/stat, or zeros elsewhere. */
    private static long[] hostCpuTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }

    private static double hostBusy(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
    }

    /** What one target did under the fleet. */
    record PhaseResult(String name, int registered, double registeredSeconds, double observedSeconds,
            double registrationsPerSecond, double notificationsPerSecond, long delayP50, long delayP99, long delayMax,
            long heapBytesPerDevice, double cpuSecondsPer1000, double cpuCores, double hostBusy) {
    }

    private void report(PhaseResult orbis, PhaseResult bare) throws Exception {
        say("");
        say("%-44s %14s %14s", "", "Orbis", bare == null ? "" : "bare Leshan");
        row("devices registered", orbis.registered(), bare == null ? null : bare.registered());
        row("registrations/s (handshake+register)", orbis.registrationsPerSecond(), bare == null ? null : bare.registrationsPerSecond());
        row("s until all registered", orbis.registeredSeconds(), bare == null ? null : bare.registeredSeconds());
        row("s until all registered and observed", orbis.observedSeconds(), bare == null ? null : bare.observedSeconds());
        row("notifications/s handled (Orbis: committed)", orbis.notificationsPerSecond(), bare == null ? null : bare.notificationsPerSecond());
        row("send-to-commit delay p50 ms (bare: receive)", orbis.delayP50(), bare == null ? null : bare.delayP50());
        row("send-to-commit delay p99 ms", orbis.delayP99(), bare == null ? null : bare.delayP99());
        row("send-to-commit delay max ms", orbis.delayMax(), bare == null ? null : bare.delayMax());
        row("heap bytes per device after full GC", orbis.heapBytesPerDevice(), bare == null ? null : bare.heapBytesPerDevice());
        row("server CPU s per 1,000 notifications", orbis.cpuSecondsPer1000(), bare == null ? null : bare.cpuSecondsPer1000());
        row("server CPU cores used while measured", orbis.cpuCores(), bare == null ? null : bare.cpuCores());
        row("host CPU busy while measured (0-1)", orbis.hostBusy(), bare == null ? null : bare.hostBusy());
        Double ratio = bare == null || bare.notificationsPerSecond() == 0 ? null
                : orbis.notificationsPerSecond() / bare.notificationsPerSecond();
        if (ratio != null) {
            say("%-44s %14.2f", "Orbis/bare notification throughput", ratio);
        }
        if (out != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("devices", devices);
            json.put("offered_notifications_per_s", notificationRate);
            json.put("offered_registrations_per_s", registrationRate);
            json.put("measured_seconds", measureSeconds);
            json.put("devices_registered", orbis.registered());
            json.put("registrations_per_s", round(orbis.registrationsPerSecond()));
            json.put("seconds_until_registered", round(orbis.registeredSeconds()));
            json.put("seconds_until_registered_and_observed", round(orbis.observedSeconds()));
            json.put("notifications_per_s", round(orbis.notificationsPerSecond()));
            json.put("commit_delay_ms_p50", orbis.delayP50());
            json.put("commit_delay_ms_p99", orbis.delayP99());
            json.put("commit_delay_ms_max", orbis.delayMax());
            json.put("heap_bytes_per_device", orbis.heapBytesPerDevice());
            json.put("cpu_seconds_per_1000_notifications", round(orbis.cpuSecondsPer1000()));
            json.put("host_cpu_busy", round(orbis.hostBusy()));
            if (bare != null) {
                json.put("bare_devices_registered", bare.registered());
                json.put("bare_registrations_per_s", round(bare.registrationsPerSecond()));
                json.put("bare_notifications_per_s", round(bare.notificationsPerSecond()));
                json.put("bare_receive_delay_ms_p99", bare.delayP99());
                json.put("bare_heap_bytes_per_device", bare.heapBytesPerDevice());
                json.put("bare_cpu_seconds_per_1000_notifications", round(bare.cpuSecondsPer1000()));
                json.put("ratio_vs_bare", ratio == null ? null : round(ratio));
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
            say("figures written to %s", out);
        }
    }

    private static double round(double value) {
        return Double.isNaN(value) ? Double.NaN : Math.round(value * 1000) / 1000.0;
    }

    private static void row(String label, Number orbis, Number bare) {
        say("%-44s %14s %14s", label, format(orbis), bare == null ? "" : format(bare));
    }

    private static String format(Number value) {
        if (value instanceof Double d) {
            return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, d < 10 ? "%.3f" : "%.0f", d);
        }
        return value.toString();
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
