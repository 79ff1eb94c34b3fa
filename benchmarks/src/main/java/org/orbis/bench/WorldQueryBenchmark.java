package org.orbis.bench;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orbis.world.entities.EntityStore;
import org.orbis.world.entities.GraphImport;
import org.orbis.world.entities.GraphImport.EdgeItem;
import org.orbis.world.entities.GraphImport.EntityItem;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.models.ModelCatalog;
import org.orbis.world.query.NodeQuery;
import org.orbis.world.query.PathPattern;
import org.orbis.world.query.QueryEngine;
import org.orbis.world.query.QueryPage;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate;
import org.orbis.world.store.WorldUpdate.DeviceStateChange;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.testing.TestDatabases;

/**
 * Fleet-wide query benchmark on a real PostgreSQL: 50,000 devices (three resources each, 10% offline) placed in 500
 * zones of 10 sites; times one page of each query kind, and compares against two baselines in the same run: the
 * same query with its index dropped, and a full scan that filters every current value in the application.
 *
 * <pre>bench/run world-query [50000]</pre>
 */
public final class WorldQueryBenchmark {

    private static final ResourcePath TEMPERATURE = ResourcePath.of(3303, 0, 5700);
    private static final ResourcePath HUMIDITY = ResourcePath.of(3304, 0, 5700);
    private static final ResourcePath MANUFACTURER = ResourcePath.of(3, 0, 0);
    private static final int PER_ZONE = 100;
    private static final int ZONES_PER_SITE = 50;

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        DatabaseSettings settings = TestDatabases.postgres();
        try (Database database = Database.open(settings)) {
            WorldStore world = new WorldStore(database, Clock.systemUTC());
            EntityStore entities = new EntityStore(world);
            QueryEngine queries = new QueryEngine(world, new ModelCatalog(world), entities);
            long loadStart = System.nanoTime();
            load(world, entities, devices);
            analyze(database);
            System.out.printf("loaded %,d devices, %,d resource values, %,d zones in %.1f s (PostgreSQL 17, embedded)%n%n",
                    devices, devices * 3, devices / PER_ZONE, (System.nanoTime() - loadStart) / 1e9);

            String middle = String.format("device/dev-%06d/3303/0/5700", devices / 2);
            String zone = String.format("zone/site-%02d/zone-%03d", 3, 3 * ZONES_PER_SITE + 7);
            String site = "site/site-03";
            List<String[]> cases = List.of(
                    new String[] {"path=*/3303/*/5700", null},
                    new String[] {"path=*/3303/*/5700", middle},
                    new String[] {"path=*/3303/*/5700 and state=offline", null},
                    new String[] {"path=*/*/*/5700 and value>30", null},
                    new String[] {"state=offline", null},
                    new String[] {"within 1 of " + zone + " and path=*/3303/*/5700", null},
                    new String[] {"within 2 of " + site + " and path=*/3303/*/5700", null});
            System.out.println("one page (limit 100) of each query, 50 runs after 10 warm-up runs:");
            for (String[] c : cases) {
                NodeQuery query = NodeQuery.parse(c[0]);
                List<Double> samples = BenchSupport.time(10, 50, () -> queries.run(query, c[1], 100));
                System.out.println(BenchSupport.row(c[0] + (c[1] == null ? "" : "  (page after the middle)"), samples));
            }
            NodeQuery all = NodeQuery.parse("path=*/3303/*/5700");
            List<Double> allKeys = BenchSupport.time(2, 10, () -> queries.keys(all, null, null, null));
            System.out.println(BenchSupport.row("every key of path=*/3303/*/5700 (" + devices + " keys)", allKeys));

            System.out.println();
            System.out.println("baselines, same run, same data (the SQL the engine runs, on one connection):");
            String page = "SELECT rv.node_key, rv.value_text FROM resource_value rv WHERE rv.object_id = 3303 "
                    + "AND rv.resource_id = 5700 AND rv.node_key > ? ORDER BY rv.node_key LIMIT 101";
            String offline = "SELECT rv.node_key, rv.value_text FROM resource_value rv JOIN device d ON d.endpoint = "
                    + "rv.endpoint WHERE rv.object_id = 3303 AND rv.resource_id = 5700 AND d.state = 'OFFLINE' "
                    + "ORDER BY rv.node_key LIMIT 101";
            NodeQuery pattern = NodeQuery.parse("path=*/3303/*/5700");
            List<Double> engine = BenchSupport.time(10, 50, () -> queries.run(pattern, middle, 100));
            List<Double> scan = BenchSupport.time(1, 5, () -> fullScan(database, PathPattern.parse("*/3303/*/5700"), middle, 100));
            List<Double>[] indexed = timeSql(database, false, page, offline, middle);
            List<Double>[] unindexed = timeSql(database, true, page, offline, middle);
            System.out.println(BenchSupport.row("path=*/3303/*/5700 page after the middle, query engine", engine));
            System.out.println(BenchSupport.row("  same SQL, indexes used", indexed[0]));
            System.out.println(BenchSupport.row("  same SQL, index scans disabled (sequential scan + sort)", unindexed[0]));
            System.out.println(BenchSupport.row("  application full scan of every current value", scan));
            System.out.println(BenchSupport.row("path=*/3303/*/5700 and state=offline, indexes used", indexed[1]));
            System.out.println(BenchSupport.row("  same SQL, index scans disabled", unindexed[1]));
            System.out.printf("indexes: %.0fx faster for the page, %.0fx for the offline filter; the engine is %.0fx faster "
                    + "than an application full scan (p50)%n",
                    BenchSupport.percentile(unindexed[0], 50) / BenchSupport.percentile(indexed[0], 50),
                    BenchSupport.percentile(unindexed[1], 50) / BenchSupport.percentile(indexed[1], 50),
                    BenchSupport.percentile(scan, 50) / BenchSupport.percentile(engine, 50));
        }
        System.exit(0);
    }

    private static void load(WorldStore world, EntityStore entities, int devices) {
        Instant now = Instant.now();
        List<WorldUpdate> batch = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            String endpoint = String.format("dev-%06d", i);
            batch.add(new DeviceStateChange(endpoint, i % 10 == 0 ? DeviceState.OFFLINE : DeviceState.ONLINE, null, now));
            batch.add(new ReportedValue(endpoint, TEMPERATURE, TypedValue.ofFloat(15 + (i % 200) / 10.0), null, now));
            batch.add(new ReportedValue(endpoint, HUMIDITY, TypedValue.ofFloat(30 + i % 40), null, now));
            batch.add(new ReportedValue(endpoint, MANUFACTURER, TypedValue.ofString("Orbis"), null, now));
            if (batch.size() >= 4_000) {
                world.commit(batch);
                batch.clear();
            }
        }
        world.commit(batch);
        int zones = devices / PER_ZONE;
        List<EntityItem> items = new ArrayList<>();
        List<EdgeItem> edges = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            String site = String.format("site/site-%02d", z / ZONES_PER_SITE);
            if (z % ZONES_PER_SITE == 0) {
                items.add(new EntityItem("site", site, null, Map.of()));
            }
            String zone = String.format("zone/site-%02d/zone-%03d", z / ZONES_PER_SITE, z);
            items.add(new EntityItem("zone", zone, null, Map.of("floor", Integer.toString(z % 5))));
            edges.add(new EdgeItem("edge", zone, "partOf", site, false));
        }
        entities.importGraph(new GraphImport(items, edges));
        edges.clear();
        for (int i = 0; i < devices; i++) {
            int z = i / PER_ZONE;
            edges.add(new EdgeItem("edge", String.format("device/dev-%06d", i), "in",
                    String.format("zone/site-%02d/zone-%03d", z / ZONES_PER_SITE, z), false));
            if (edges.size() == 10_000) {
                entities.importGraph(new GraphImport(List.of(), edges));
                edges.clear();
            }
        }
        entities.importGraph(new GraphImport(List.of(), edges));
    }

    /** What answering without the query engine costs: read every current value, filter and sort in the application. */
    private static int fullScan(Database database, PathPattern pattern, String after, int limit) {
        return database.read(connection -> {
            List<String> keys = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT node_key, endpoint, object_id, instance_id, resource_id, "
                            + "resource_instance_id FROM resource_value")) {
                while (rs.next()) {
                    int ri = rs.getInt(6);
                    ResourcePath path = rs.wasNull() ? ResourcePath.of(rs.getInt(3), rs.getInt(4), rs.getInt(5))
                            : ResourcePath.of(rs.getInt(3), rs.getInt(4), rs.getInt(5), ri);
                    String key = rs.getString(1);
                    if (pattern.matches(rs.getString(2), path) && key.compareTo(after) > 0) {
                        keys.add(key);
                    }
                }
            }
            keys.sort(null);
            return Math.min(limit, keys.size());
        });
    }

    /** Times the two statements on one connection, with index scans allowed or disabled for that session. */
    @SuppressWarnings("unchecked")
    private static List<Double>[] timeSql(Database database, boolean disableIndexes, String page, String offline,
            String after) {
        return database.read(connection -> {
            try (Statement settings = connection.createStatement()) {
                String value = disableIndexes ? "off" : "on";
                settings.execute("SET enable_indexscan = " + value);
                settings.execute("SET enable_indexonlyscan = " + value);
                settings.execute("SET enable_bitmapscan = " + value);
            }
            try (PreparedStatement first = connection.prepareStatement(page);
                    PreparedStatement second = connection.prepareStatement(offline)) {
                first.setString(1, after);
                List<Double> pageTimes = BenchSupport.time(5, 30, () -> drain(first));
                List<Double> offlineTimes = BenchSupport.time(5, 30, () -> drain(second));
                return new List[] {pageTimes, offlineTimes};
            } catch (Exception e) {
                throw new java.sql.SQLException(e);
            } finally {
                try (Statement settings = connection.createStatement()) {
                    settings.execute("RESET ALL");
                }
            }
        });
    }

    private static int drain(PreparedStatement statement) throws java.sql.SQLException {
        int rows = 0;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows++;
            }
        }
        return rows;
    }

    private static void analyze(Database database) {
        execute(database, "ANALYZE");
    }

    private static void execute(Database database, String sql) {
        database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.execute();
            }
            return null;
        });
    }
}
