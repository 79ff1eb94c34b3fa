package org.orbis.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.Database;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.store.WorldWriter;
import org.orbis.world.testing.TestDatabases;

/**
 * World-model ingest benchmark on a real PostgreSQL: committed values per second through the {@link WorldWriter}
 * with group commit (up to 1,000 updates per transaction, as the platform runs it) and, as the in-run baseline,
 * without batching (one transaction per value). Every value is a change: it bumps a revision, appends to the change
 * feed and lands in the history. Each mode gets a fresh database and warms up first.
 *
 * <pre>bench/run world-ingest [100000 10000]</pre>
 */
public final class WorldIngestBenchmark {

    private static final ResourcePath TEMPERATURE = ResourcePath.of(3303, 0, 5700);
    private static final int DEVICES = 1_000;

    public static void main(String[] args) throws Exception {
        int batchedValues = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int unbatchedValues = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        double batched = run("batched (group commit, up to 1,000 per transaction)", 1_000, batchedValues);
        double unbatched = run("unbatched (one transaction per value)", 1, unbatchedValues);
        System.out.printf("%nbatching commits %.1fx more values per second%n", batched / unbatched);
        System.exit(0);
    }

    private static double run(String name, int maxBatch, int values) throws InterruptedException {
        try (Database database = Database.open(TestDatabases.postgres())) {
            WorldStore world = new WorldStore(database, Clock.systemUTC());
            try (WorldWriter writer = new WorldWriter(world, 200_000, maxBatch)) {
                submit(writer, 0, Math.min(values / 10, 2_000));
                writer.flush(Duration.ofMinutes(5));
                long before = writer.stats().committedChanges();
                long start = System.nanoTime();
                submit(writer, 1, values);
                if (!writer.flush(Duration.ofMinutes(30))) {
                    throw new IllegalStateException("the writer did not finish within 30 minutes");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                WorldWriter.Stats stats = writer.stats();
                long committed = stats.committedChanges() - before;
                double rate = committed / seconds;
                System.out.printf("%-55s %,9d values in %6.2f s = %,10.0f committed values/s (%,d transactions, %d failed)%n",
                        name, committed, seconds, rate, stats.batches(), stats.failed());
                return rate;
            }
        }
    }

    /** {@code count} value changes spread over the devices; {@code round} makes each value differ from the last. */
    private static void submit(WorldWriter writer, int round, int count) {
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            writer.submit(new ReportedValue(String.format("dev-%04d", i % DEVICES), TEMPERATURE,
                    TypedValue.ofFloat(round * 1_000_000 + i), null, now));
        }
    }
}
