package org.orbis.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.client.ReferenceClient;
import org.orbis.client.fleet.DeviceCredential;
import org.orbis.client.objects.WorldViewSnapshot;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.console.platform.PlatformSettings;
import org.orbis.server.commands.CommandPayload;
import org.orbis.server.observe.ObservePolicy;
import org.orbis.server.views.DeviceViewDelivery;
import org.orbis.world.access.Role;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.commands.NewCommand;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.SqlDialect;
import org.orbis.world.views.DeviceView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench/run view-fanout}: device views at the size. The whole platform runs in this JVM on PostgreSQL
 * with thousands of reference clients (real Leshan clients over DTLS-PSK on loopback) placed in zones, each given the
 * shared view of its zone's temperatures. Random clients then report new temperatures at a fixed rate, and the
 * figures come from what the platform recorded: changes/s committed, World View copies/s acknowledged by devices, the
 * fan-out, and the delay from the commit of the change a copy reflects to the device acknowledging the Write. The
 * in-run baseline sends the same number of plain single-resource writes to the same devices through the durable
 * command queue at the same pace, so the cost of the view machinery shows. Every wait has a deadline; the run stops
 * by itself.
 */
@Command(name = "bench/run view-fanout", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Device views fan-out: changes/s in, World View copies/s out, fan-out factor and commit-to-ack "
                + "delay for N reference clients in Z zones, against plain queued writes to the same devices.%n")
public final class ViewFanoutBenchmark implements Callable<Integer> {

    static final String BASELINE_PATH = "/3311/0/5851";

    @Option(names = "--clients", defaultValue = "2000", description = "Reference clients (default: ${DEFAULT-VALUE}).")
    int clientCount;

    @Option(names = "--zones", defaultValue = "100", description = "Zones; clients are spread evenly (default: ${DEFAULT-VALUE}).")
    int zoneCount;

    @Option(names = "--rate", defaultValue = "50", description = "Temperature changes per second offered (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--measure", defaultValue = "30", description = "Seconds of changes measured (default: ${DEFAULT-VALUE}).")
    int measureSeconds;

    @Option(names = "--min-interval", defaultValue = "200ms", description = "Minimum interval between copies to one device (default: ${DEFAULT-VALUE}).")
    String minInterval;

    @Option(names = "--start-batch", defaultValue = "25", description = "Clients started at once (default: ${DEFAULT-VALUE}).")
    int startBatch;

    // Each client's first copy creates its World View instance, and Leshan clients answer a new instance with a
    // blocking registration Update on the shared pool: with 64 threads, 2,000 such Updates plus the registrations
    // starved the pool (the answers wait for a pool thread too) and observe requests timed out.
    @Option(names = "--client-threads", defaultValue = "256", description = "Threads shared by all clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--settle", defaultValue = "600", description = "Seconds allowed for the first copies to reach every client (default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Mixin
    final BenchDatabase db = new BenchDatabase();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the figures as JSON to FILE.")
    Path out;

    private OrbisPlatform platform;
    private ReferenceFleet fleet;
    private final FanoutFigures.Recorder recorder = new FanoutFigures.Recorder();
    private final Map<String, Integer> zoneOf = new HashMap<>();
    private final Map<Integer, List<String>> zones = new LinkedHashMap<>();
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final Random random = new Random(42);

    public static void main(String[] args) {
        ScaleBenchmark.quietLogs();
        System.exit(new CommandLine(new ViewFanoutBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (clientCount < zoneCount || zoneCount < 1 || rate <= 0 || measureSeconds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "need at least one client per zone, at least one zone, a positive rate and at least 1 s measured");
        }
        say("view fan-out: %d clients in %d zones, %.0f changes/s offered for %d s, min interval %s; %d CPUs, "
                + "max heap %d MB, load average %.1f", clientCount, zoneCount, rate, measureSeconds, minInterval,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try {
            DatabaseSettings database = db.open();
            // only the temperature is observed: the baseline's writes to the light must not come back as notifications
            platform = new OrbisPlatform(PlatformSettings.forTests(database).withObservePolicy(ObservePolicy.parse("3303")))
                    .start();
            json.put("database", platform.world().database().dialect().name().toLowerCase(Locale.ROOT));
            fleet = new ReferenceFleet(clientThreads);
            platform.world().addCommitListener(recorder);
            platform.viewDelivery().addListener(recorder);
            List<DeviceCredential> devices = placeAndGiveViews();
            startClients(devices);
            Result views = measureViews();
            Result baseline = measureBaseline(views.caused());
            report(views, baseline);
            return 0;
        } finally {
            if (fleet != null) {
                say("stopping clients …");
                fleet.close();
            }
            if (platform != null) {
                platform.close();
            }
            db.close(); // last: the platform still talks to it while closing
        }
    }

    /** Provisions the devices, imports the site and its zones with every device placed, defines and assigns the views. */
    private List<DeviceCredential> placeAndGiveViews() throws Exception {
        BenchApi api = adminApi();
        SecureRandom keys = new SecureRandom();
        List<DeviceCredential> devices = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            byte[] key = new byte[16];
            keys.nextBytes(key);
            String endpoint = String.format(Locale.ROOT, "vf-%05d", i);
            devices.add(new DeviceCredential(endpoint, endpoint, key));
            int zone = i % zoneCount;
            zoneOf.put(endpoint, zone);
            zones.computeIfAbsent(zone, z -> new ArrayList<>()).add(endpoint);
        }
        long started = System.nanoTime();
        parallel(devices, device -> platform.provisioning().provision(new ProvisioningRequest(device.endpoint(), null,
                null, device.identity(), device.key())));
        say("provisioned %d devices in %.1f s", clientCount, (System.nanoTime() - started) / 1e9);

        StringBuilder entities = new StringBuilder("{\"key\":\"site/bench\",\"label\":\"Benchmark site\"}");
        StringBuilder edges = new StringBuilder();
        for (int zone : zones.keySet()) {
            entities.append(",{\"key\":\"").append(zoneKey(zone)).append("\"}");
            edges.append(edges.length() == 0 ? "" : ",").append("{\"from\":\"").append(zoneKey(zone))
                    .append("\",\"kind\":\"partOf\",\"to\":\"site/bench\"}");
        }
        for (DeviceCredential device : devices) {
            edges.append(",{\"from\":\"device/").append(device.endpoint()).append("\",\"kind\":\"in\",\"to\":\"")
                    .append(zoneKey(zoneOf.get(device.endpoint()))).append("\"}");
        }
        api.post("/api/import", "{\"entities\":[" + entities + "],\"edges\":[" + edges + "]}");
        for (int zone : zones.keySet()) {
            api.put("/api/views/" + viewName(zone), "{\"query\":\"within 1 of " + zoneKey(zone)
                    + " and path=*/3303/*/5700\"}");
        }
        String body = "{\"minInterval\":\"" + minInterval + "\"}";
        parallel(devices, device -> api.put("/api/devices/" + device.endpoint() + "/views/"
                + viewName(zoneOf.get(device.endpoint())), body));
        say("imported site/bench with %d zones, defined %d views, gave every device its zone's view (%.1f s)",
                zones.size(), zones.size(), (System.nanoTime() - started) / 1e9);
        return devices;
    }

    private void startClients(List<DeviceCredential> devices) throws Exception {
        long started = System.nanoTime();
        long[] lastReport = {started};
        URI server = URI.create(platform.dmServerUri());
        int failed = fleet.start(devices, server, startBatch, Duration.ofSeconds(60), count -> {
            if (count == devices.size() || System.nanoTime() - lastReport[0] > TimeUnit.SECONDS.toNanos(5)) {
                lastReport[0] = System.nanoTime();
                say("clients: %d started, %d registered (%.0f s)", count,
                        platform.dmServer().registrations().registrationCount(), (System.nanoTime() - started) / 1e9);
            }
        });
        double startSeconds = (System.nanoTime() - started) / 1e9;
        json.put("clients_registered", platform.dmServer().registrations().registrationCount());
        json.put("seconds_to_start_clients", round(startSeconds));
        if (failed > 0) {
            say("WARNING: %d clients did not register within 60 s of their start", failed);
        }
        analyze();
        double settled = waitUntil("first copies", this::everyClientHoldsItsZone, settleSeconds, () -> String.format(
                Locale.ROOT, "%d of %d clients hold their whole zone, %d copies behind, %d copies in flight",
                clientsHoldingTheirZone(), clientCount, behind(), platform.viewDelivery().inFlight()));
        if (settled < 0) {
            throw new IllegalStateException("the first copies did not reach every client within " + settleSeconds + " s");
        }
        json.put("seconds_to_settle", round(settled));
        say("every client holds its zone's %d temperatures (%.1f s after the last client started)",
                clientCount / zoneCount, settled);
        analyze();
    }

    /** Changes on random clients at the offered rate, then figures from the feed and the copies' answers. */
    private Result measureViews() throws InterruptedException {
        long after = platform.feed().head();
        Instant from = Instant.now();
        List<ReferenceClient> clients = fleet.clients();
        long[] value = {0};
        Instant to = pace("views", (long) Math.round(rate * measureSeconds), rate, () -> {
            ReferenceClient client = clients.get(random.nextInt(clients.size()));
            client.simulateTemperature(10 + (value[0]++ % 100_000) / 1000.0);
        }, () -> String.format(Locale.ROOT, "%d changes committed, %d copies acknowledged",
                recorder.changesAfter(after).size(), recorder.viewAcks.get()));
        long driven = value[0];
        // A client whose previous notification is still in flight sends only its newest value (Californium keeps
        // observe notifications in order that way), so fewer changes than driven may commit: wait for a quiet second.
        Quiet quiet = new Quiet(() -> recorder.changesAfter(after).size());
        double drained = waitUntil("the last copies", () -> quiet.settled(Duration.ofSeconds(1))
                && everyCopyCaughtUp(recorder.changesAfter(after)) && platform.viewDelivery().inFlight() == 0,
                180, () -> String.format(Locale.ROOT, "%d of %d changes committed, %d copies behind, %d copies in flight",
                        recorder.changesAfter(after).size(), driven, behind(), platform.viewDelivery().inFlight()));
        List<FanoutFigures.Change> changes = recorder.changesAfter(after);
        List<FanoutFigures.Delivery> copies = recorder.copiesAcknowledged(from);
        long upTo = platform.feed().head();
        FanoutFigures.CopyDelays delays = FanoutFigures.copyDelays(copies, FanoutFigures.commitTimes(database(), after,
                upTo), after);
        LatencyHistogram changeToDevice = new LatencyHistogram();
        long missing = FanoutFigures.changeToDevice(changes, copies, zoneOf, zones, changeToDevice);
        long changesInWindow = changes.stream().filter(c -> !c.committedAt().isBefore(from) && c.committedAt().isBefore(to))
                .count();
        say("views: %d changes driven, %d committed (%d in the window), %d copies succeeded, drained %.1f s after the "
                + "load stopped", driven, changes.size(), changesInWindow, copies.size(), drained);
        return new Result(changesInWindow / FanoutFigures.seconds(from, to), FanoutFigures.perSecond(copies, from, to),
                delays.copies(), delays.commitToAck(), delays.commitToQueued(), delays.queuedToAck(), changeToDevice,
                missing, drained, recorder.copyOutcomes(from), changes.size());
    }

    /**
     * The same number of deliveries to the same devices, as plain writes of one resource queued straight into the
     * command queue, a zone's devices at a time at the pace the views produced them.
     */
    private Result measureBaseline(long writes) throws InterruptedException {
        List<Integer> zoneIds = new ArrayList<>(zones.keySet());
        int perZone = clientCount / zoneCount;
        long groups = Math.max(1, (writes + perZone - 1) / perZone);
        long[] queued = {0};
        Instant from = Instant.now();
        Instant to = pace("baseline", groups, groups / (double) measureSeconds, () -> {
            for (String endpoint : zones.get(zoneIds.get(random.nextInt(zoneIds.size())))) {
                if (queued[0] >= writes) {
                    return;
                }
                platform.dmServer().commands().queue(new NewCommand(endpoint, CommandKind.WRITE, BASELINE_PATH,
                        new CommandPayload((int) (queued[0]++ % 101), null, null).toJson(),
                        DeviceViewDelivery.VIEW_PRIORITY, null, "bench", Duration.ofHours(1),
                        NewCommand.DEFAULT_MAX_ATTEMPTS));
            }
        }, () -> String.format(Locale.ROOT, "%d writes queued, %d acknowledged", queued[0], recorder.benchAcks.get()));
        double drained = waitUntil("the last writes", () -> FanoutFigures.open(database(), "bench") == 0, 180,
                () -> String.format(Locale.ROOT, "%d writes open", FanoutFigures.open(database(), "bench")));
        List<FanoutFigures.Delivery> writesDone = FanoutFigures.succeeded(database(), "bench", from);
        LatencyHistogram queuedToAck = new LatencyHistogram();
        writesDone.forEach(write -> queuedToAck.record(FanoutFigures.millis(write.queuedAt(), write.ackedAt())));
        return new Result(Double.NaN, FanoutFigures.perSecond(writesDone, from, to), writesDone.size(), queuedToAck,
                null, queuedToAck, null, 0, drained, FanoutFigures.outcomes(database(), "bench", from), 0);
    }

    /**
     * Runs {@code step} {@code count} times at {@code perSecond} on one thread, printing progress every 5 s; answers
     * when the last step ran. Bounded: gives up on steps still due 30 s after the planned end.
     */
    private Instant pace(String phase, long count, double perSecond, Runnable step, Supplier<String> progress)
            throws InterruptedException {
        long start = System.nanoTime();
        long period = (long) (1e9 / perSecond);
        long deadline = start + period * count + TimeUnit.SECONDS.toNanos(30);
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        for (long i = 0; i < count && System.nanoTime() < deadline; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            step.run();
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(5);
                say("%s: %.0f s, %s", phase, (System.nanoTime() - start) / 1e9, progress.get());
            }
        }
        return Instant.now();
    }

    /** Seconds until the condition held (printing progress every 5 s), or -1 if it did not within the budget. */
    private double waitUntil(String what, BooleanSupplier condition, long budgetSeconds, Supplier<String> progress)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(budgetSeconds);
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                say("WARNING: %s did not arrive within %d s: %s", what, budgetSeconds, progress.get());
                return -1;
            }
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(5);
                say("waiting for %s: %.0f s, %s", what, (System.nanoTime() - start) / 1e9, progress.get());
            }
            Thread.sleep(200);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Every client's World View copy lists exactly the temperatures of its zone, and nothing is behind or open. */
    private boolean everyClientHoldsItsZone() {
        return clientsHoldingTheirZone() == clientCount && behind() == 0 && platform.viewDelivery().inFlight() == 0;
    }

    private long clientsHoldingTheirZone() {
        return fleet.clients().stream().filter(client -> {
            List<WorldViewSnapshot> copies = List.copyOf(client.worldViews().values());
            return copies.size() == 1 && copies.get(0).entries().size() == zones.get(zoneOf.get(client.endpoint())).size();
        }).count();
    }

    /** Every device acknowledged a copy that reflects the last change of its zone. */
    private boolean everyCopyCaughtUp(List<FanoutFigures.Change> changes) {
        Map<Integer, Long> lastByZone = new HashMap<>();
        changes.forEach(change -> lastByZone.merge(zoneOf.get(change.endpoint()), change.sequence(), Math::max));
        for (DeviceView view : platform.deviceViews().all()) {
            Long last = lastByZone.get(zoneOf.get(view.endpoint()));
            if (view.isBehind() || last != null && view.deliveredSequence() < last) {
                return false;
            }
        }
        return true;
    }

    private long behind() {
        return platform.deviceViews().all().stream().filter(DeviceView::isBehind).count();
    }

    private Database database() {
        return platform.world().database();
    }

    private BenchApi adminApi() {
        String password = Long.toHexString(new SecureRandom().nextLong()) + "-bench";
        platform.access().createUser("bench-admin", Role.ADMIN, platform.passwords().hash(password));
        return new BenchApi(platform.http().port(),
                platform.access().createToken("bench-admin", "view-fanout", Role.ADMIN, null).secret());
    }

    /** Fresh planner statistics after a bulk load (see {@link OrbisTarget#analyze()}). */
    private void analyze() {
        if (database().dialect() == SqlDialect.POSTGRESQL) {
            database().read(connection -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("ANALYZE");
                }
                return null;
            });
        }
    }

    private static <T> void parallel(List<T> items, Consumer<T> work) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> results = new ArrayList<>();
        for (T item : items) {
            results.add(pool.submit(() -> work.accept(item)));
        }
        pool.shutdown();
        try {
            for (java.util.concurrent.Future<?> result : results) {
                result.get(10, TimeUnit.MINUTES);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            pool.shutdownNow();
            throw new IllegalStateException("setting up the world failed: " + e.getCause(), e);
        }
    }

    private static String zoneKey(int zone) {
        return String.format(Locale.ROOT, "zone/bench/z-%03d", zone);
    }

    private static String viewName(int zone) {
        return String.format(Locale.ROOT, "zone-%03d", zone);
    }

    /** Whether a count stayed the same for a while (each call samples it). */
    private static final class Quiet {
        private final java.util.function.LongSupplier count;
        private long last = -1;
        private long since;

        Quiet(java.util.function.LongSupplier count) {
            this.count = count;
        }

        boolean settled(Duration quiet) {
            long now = System.nanoTime();
            long current = count.getAsLong();
            if (current != last) {
                last = current;
                since = now;
            }
            return now - since >= quiet.toNanos();
        }
    }

    /**
     * What one phase delivered. {@code caused}: deliveries counted for the delays (views: copies reflecting a change of
     * the phase; baseline: every write).
     */
    record Result(double changesPerSecond, double deliveriesPerSecond, long caused, LatencyHistogram delay,
            LatencyHistogram commitToQueued, LatencyHistogram queuedToAck, LatencyHistogram changeToDevice,
            long missingPairs, double drainSeconds, Map<String, Long> outcomes, long changes) {
    }

    private void report(Result views, Result baseline) throws Exception {
        double ratio = baseline.deliveriesPerSecond() == 0 ? Double.NaN
                : views.deliveriesPerSecond() / baseline.deliveriesPerSecond();
        say("");
        say("view fan-out: %d clients in %d zones (%d per zone), %.0f changes/s offered for %d s, min interval %s, %s",
                clientCount, zoneCount, clientCount / zoneCount, rate, measureSeconds, minInterval, json.get("database"));
        say("%-64s %12s %12s", "", "views", "plain writes");
        row("changes/s in (committed /3303/x/5700 values)", views.changesPerSecond(), null);
        row("deliveries/s out (acknowledged Writes, succeeded)", views.deliveriesPerSecond(), baseline.deliveriesPerSecond());
        row("fan-out (copies per change)", views.changes() == 0 ? Double.NaN : views.caused() / (double) views.changes(), null);
        row("deliveries counted for the delays", views.caused(), baseline.caused());
        say("delay from the commit of the change a copy reflects (feed committedAt of its resource 6 sequence) to the");
        say("device acknowledging the Write; plain writes: queued to acked");
        row("  delay p50 ms", views.delay().percentile(0.5), baseline.delay().percentile(0.5));
        row("  delay p99 ms", views.delay().percentile(0.99), baseline.delay().percentile(0.99));
        row("  delay max ms", views.delay().max(), baseline.delay().max());
        row("  of which commit -> copy sent p50 / p99 ms", views.commitToQueued().percentile(0.5) + " / "
                + views.commitToQueued().percentile(0.99), null);
        row("  of which copy sent (write queued) -> acked p50 / p99 ms", views.queuedToAck().percentile(0.5) + " / "
                + views.queuedToAck().percentile(0.99), baseline.queuedToAck().percentile(0.5) + " / "
                + baseline.queuedToAck().percentile(0.99));
        row("each change to each device of its zone: p50 / p99 / max ms", views.changeToDevice().percentile(0.5) + " / "
                + views.changeToDevice().percentile(0.99) + " / " + views.changeToDevice().max(), null);
        row("  (change, device) pairs without a copy reflecting it", views.missingPairs(), null);
        row("seconds to drain after the load stopped", views.drainSeconds(), baseline.drainSeconds());
        say("%-64s %s", "view copies by outcome", views.outcomes());
        say("%-64s %s", "plain writes by outcome", baseline.outcomes());
        say("%-64s %12.2f", "views/plain deliveries per second", ratio);

        json.put("clients", clientCount);
        json.put("zones", zoneCount);
        json.put("offered_changes_per_s", rate);
        json.put("measured_seconds", measureSeconds);
        json.put("min_interval", minInterval);
        json.put("changes_per_s", round(views.changesPerSecond()));
        json.put("deliveries_per_s", round(views.deliveriesPerSecond()));
        json.put("fanout", views.changes() == 0 ? null : round(views.caused() / (double) views.changes()));
        json.put("delay_ms_p50", views.delay().percentile(0.5));
        json.put("delay_ms_p99", views.delay().percentile(0.99));
        json.put("delay_ms_max", views.delay().max());
        json.put("commit_to_sent_ms_p99", views.commitToQueued().percentile(0.99));
        json.put("sent_to_ack_ms_p99", views.queuedToAck().percentile(0.99));
        json.put("change_to_device_ms_p50", views.changeToDevice().percentile(0.5));
        json.put("change_to_device_ms_p99", views.changeToDevice().percentile(0.99));
        json.put("missing_pairs", views.missingPairs());
        json.put("drain_seconds", round(views.drainSeconds()));
        json.put("copy_outcomes", views.outcomes());
        json.put("baseline_writes", baseline.caused());
        json.put("baseline_deliveries_per_s", round(baseline.deliveriesPerSecond()));
        json.put("baseline_delay_ms_p50", baseline.delay().percentile(0.5));
        json.put("baseline_delay_ms_p99", baseline.delay().percentile(0.99));
        json.put("baseline_delay_ms_max", baseline.delay().max());
        json.put("ratio_vs_baseline", round(ratio));
        if (out != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
            say("figures written to %s", out);
        }
    }

    private static Object round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 1000) / 1000.0;
    }

    private static void row(String label, Object views, Object baseline) {
        say("%-64s %12s %12s", label, format(views), baseline == null ? "" : format(baseline));
    }

    private static String format(Object value) {
        if (value instanceof Double d) {
            return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, d < 10 ? "%.2f" : "%.0f", d);
        }
        return String.valueOf(value);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
