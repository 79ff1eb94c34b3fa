package org.orbis.world.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.entities.EntityDraft;
import org.orbis.world.entities.EntityStore;
import org.orbis.world.entities.GraphException;
import org.orbis.world.entities.GraphImport;
import org.orbis.world.entities.GraphImport.EdgeItem;
import org.orbis.world.entities.GraphImport.EntityItem;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.models.ModelCatalog;
import org.orbis.world.models.ObjectModel;
import org.orbis.world.models.ResourceModel;
import org.orbis.world.query.QueryHit.ResourceHit;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate;
import org.orbis.world.store.WorldUpdate.DeviceStateChange;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.testing.TestClock;

/**
 * The shared world: a site of two zones with three sensors each, queried by path pattern and by traversal, changed by
 * moves and deletions. Run once per database backend by the subclasses.
 */
abstract class WorldGraphContract {

    static final ResourcePath TEMPERATURE = ResourcePath.of(3303, 0, 5700);
    static final ResourcePath HUMIDITY = ResourcePath.of(3304, 0, 5700);
    static final List<String> NORTH = List.of("north-1", "north-2", "north-3");
    static final List<String> SOUTH = List.of("south-1", "south-2", "south-3");

    TestClock clock = new TestClock(Instant.parse("2026-11-23T10:00:00Z"));
    Database database;
    WorldStore world;
    ChangeFeed feed;
    EntityStore entities;
    QueryEngine queries;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        world = new WorldStore(database, clock);
        feed = new ChangeFeed(world);
        entities = new EntityStore(world);
        queries = new QueryEngine(world, new ModelCatalog(world), entities);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** Six sensors reporting temperature and humidity, online. */
    void sixSensors() {
        List<WorldUpdate> updates = new ArrayList<>();
        for (String endpoint : concat(NORTH, SOUTH)) {
            updates.add(new DeviceStateChange(endpoint, DeviceState.ONLINE, null, clock.instant()));
            updates.add(new ReportedValue(endpoint, TEMPERATURE, TypedValue.ofFloat(20 + endpoint.length()), null, clock.instant()));
            updates.add(new ReportedValue(endpoint, HUMIDITY, TypedValue.ofFloat(40), null, clock.instant()));
        }
        world.commit(updates);
    }

    static GraphImport siteImport() {
        List<EntityItem> items = List.of(
                new EntityItem("entities[0]", "site/hq", "Headquarters", Map.of("city", "Lyon")),
                new EntityItem("entities[1]", "zone/hq/north", "North wing", Map.of("floor", "1")),
                new EntityItem("entities[2]", "zone/hq/south", "South wing", Map.of("floor", "1")));
        List<EdgeItem> edges = new ArrayList<>();
        edges.add(new EdgeItem("edges[0]", "zone/hq/north", "partOf", "site/hq", false));
        edges.add(new EdgeItem("edges[1]", "zone/hq/south", "partOf", "site/hq", false));
        for (String endpoint : NORTH) {
            edges.add(new EdgeItem("edges[" + edges.size() + "]", "device/" + endpoint, "in", "zone/hq/north", false));
        }
        for (String endpoint : SOUTH) {
            edges.add(new EdgeItem("edges[" + edges.size() + "]", "device/" + endpoint, "in", "zone/hq/south", false));
        }
        return new GraphImport(items, edges);
    }

    List<String> keys(String query) {
        List<String> keys = new ArrayList<>();
        String after = null;
        do {
            QueryPage page = queries.run(NodeQuery.parse(query), after, 2);
            page.hits().forEach(hit -> keys.add(hit.key().value()));
            after = page.next();
        } while (after != null);
        return keys;
    }

    @Test
    void importCreatesASiteOfZonesAndPlacementsInOneTransactionWithAChangeEventEach() {
        sixSensors();
        long head = feed.head();

        GraphImport.Summary summary = entities.importGraph(siteImport());

        assertThat(summary.entitiesCreated()).isEqualTo(3);
        assertThat(summary.edgesCreated()).isEqualTo(8);
        assertThat(summary.firstSequence()).isEqualTo(head + 1);
        assertThat(summary.lastSequence()).isEqualTo(head + 11);
        List<ChangeEvent> events = feed.readAfter(head, 100);
        assertThat(events).extracting(ChangeEvent::kind).containsOnly(ChangeEvent.Kind.ENTITY, ChangeEvent.Kind.EDGE)
                .hasSize(11);
        assertThat(events.get(0).key().value()).isEqualTo("site/hq");
        assertThat(events.get(0).detail()).contains("\"op\":\"created\"").contains("\"city\":\"Lyon\"");
        Entity north = entities.entity(NodeKey.entity("zone/hq/north")).orElseThrow();
        assertThat(north.kind()).isEqualTo("zone");
        assertThat(north.revision()).isEqualTo(1);
        assertThat(north.attributes()).containsEntry("floor", "1");
        assertThat(entities.edges(NodeKey.entity("zone/hq/north"), "in", 100)).hasSize(3);

        GraphImport.Summary again = entities.importGraph(siteImport());
        assertThat(again.entitiesUnchanged()).as("importing the same site again changes nothing").isEqualTo(3);
        assertThat(again.edgesUnchanged()).isEqualTo(8);
        assertThat(feed.head()).isEqualTo(head + 11);
    }

    @Test
    void anInvalidImportChangesNothingAndNamesEveryWrongItem() {
        sixSensors();
        long head = feed.head();
        GraphImport bad = new GraphImport(List.of(
                new EntityItem("entities[0] (line 3)", "zone/hq/east", null, Map.of()),
                new EntityItem("entities[1] (line 4)", "Zone/hq/west", null, Map.of()),
                new EntityItem("entities[2] (line 5)", "zone/hq/east", null, Map.of())),
                List.of(new EdgeItem("edges[0] (line 8)", "device/north-1", "in", "zone/hq/east", false),
                        new EdgeItem("edges[1] (line 9)", "device/ghost", "in", "zone/hq/east", false),
                        new EdgeItem("edges[2] (line 10)", "device/north-2", "in out", "zone/hq/east", false)));

        assertThatThrownBy(() -> entities.importGraph(bad)).isInstanceOfSatisfying(GraphImport.RejectedException.class,
                e -> assertThat(e.problems()).extracting(GraphImport.Problem::where).containsExactly(
                        "entities[1] (line 4)", "entities[2] (line 5)", "edges[2] (line 10)"));

        GraphImport unknownDevice = new GraphImport(List.of(new EntityItem("entities[0]", "zone/hq/east", null, Map.of())),
                List.of(new EdgeItem("edges[0] (line 9)", "device/ghost", "in", "zone/hq/east", false)));
        assertThatThrownBy(() -> entities.importGraph(unknownDevice))
                .isInstanceOfSatisfying(GraphImport.RejectedException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(problem -> {
                        assertThat(problem.where()).isEqualTo("edges[0] (line 9)");
                        assertThat(problem.detail()).contains("device/ghost").contains("provision");
                    });
                });
        assertThat(entities.entity(NodeKey.entity("zone/hq/east"))).as("nothing of the import was kept").isEmpty();
        assertThat(feed.head()).isEqualTo(head);
    }

    @Test
    void pathPatternQueryReturnsExactlyTheMatchingResourcesAcrossDevicesPageByPage() {
        sixSensors();
        world.commit(List.of(new DeviceStateChange("south-3", DeviceState.OFFLINE, null, clock.instant())));

        assertThat(keys("path=*/3303/*/5700")).containsExactly(
                "device/north-1/3303/0/5700", "device/north-2/3303/0/5700", "device/north-3/3303/0/5700",
                "device/south-1/3303/0/5700", "device/south-2/3303/0/5700", "device/south-3/3303/0/5700");
        assertThat(keys("path=*/3303/*/5700 and state=online")).hasSize(5).doesNotContain("device/south-3/3303/0/5700");
        assertThat(keys("path=south-*/*/0/5700")).containsExactly(
                "device/south-1/3303/0/5700", "device/south-1/3304/0/5700", "device/south-2/3303/0/5700",
                "device/south-2/3304/0/5700", "device/south-3/3303/0/5700", "device/south-3/3304/0/5700");
        assertThat(keys("state=offline")).containsExactly("device/south-3");

        QueryPage first = queries.run(NodeQuery.parse("path=*/3303/*/5700"), null, 4);
        assertThat(first.hits()).hasSize(4);
        assertThat(first.next()).isEqualTo("device/south-1/3303/0/5700");
        QueryPage second = queries.run(NodeQuery.parse("path=*/3303/*/5700"), first.next(), 4);
        assertThat(second.hits()).extracting(hit -> hit.key().value())
                .containsExactly("device/south-2/3303/0/5700", "device/south-3/3303/0/5700");
        assertThat(second.next()).isNull();
        assertThat(((ResourceHit) second.hits().get(0)).value().value().json()).isEqualTo(27.0);
    }

    @Test
    void valueFiltersCompareNumerically() {
        sixSensors();
        world.commit(List.of(new ReportedValue("north-2", TEMPERATURE, TypedValue.ofFloat(31.5), null, clock.instant())));

        assertThat(keys("path=*/3303/0/5700 and value>30")).containsExactly("device/north-2/3303/0/5700");
        assertThat(keys("path=*/3303/0/5700 and value<=27")).hasSize(5);
    }

    @Test
    void traversalReturnsWhatIsReachableWithinNHopsFilteredByObjectAndResource() {
        sixSensors();
        entities.importGraph(siteImport());

        assertThat(keys("within 1 of zone/hq/north and path=*/3303/*/5700")).containsExactly(
                "device/north-1/3303/0/5700", "device/north-2/3303/0/5700", "device/north-3/3303/0/5700");
        assertThat(keys("within 2 of site/hq and path=*/3303/*/5700")).hasSize(6);
        assertThat(keys("within 1 of site/hq and path=*/3303/*/5700")).as("devices are two hops from the site").isEmpty();
        assertThat(keys("within 1 of zone/hq/north")).containsExactly(
                "device/north-1", "device/north-2", "device/north-3", "site/hq");
        assertThat(keys("within 1 of zone/hq/north inbound")).containsExactly(
                "device/north-1", "device/north-2", "device/north-3");
        assertThat(keys("within 3 of device/north-1 via in,partOf and kind=zone")).containsExactly(
                "zone/hq/north", "zone/hq/south");
        assertThat(keys("kind=zone and attr.floor=1")).containsExactly("zone/hq/north", "zone/hq/south");
        assertThatThrownBy(() -> keys("within 1 of zone/hq/nowhere")).isInstanceOf(QueryException.class)
                .hasMessageContaining("zone/hq/nowhere");
    }

    @Test
    void movingADeviceBetweenZonesChangesWhatTheQueriesReturn() {
        sixSensors();
        entities.importGraph(siteImport());

        assertThat(entities.link(NodeKey.device("north-1"), "in", NodeKey.entity("zone/hq/south"), true)).isTrue();

        assertThat(keys("within 1 of zone/hq/north and path=*/3303/*/5700")).containsExactly(
                "device/north-2/3303/0/5700", "device/north-3/3303/0/5700");
        assertThat(keys("within 1 of zone/hq/south and path=*/3303/*/5700")).hasSize(4)
                .contains("device/north-1/3303/0/5700");
        List<ChangeEvent> events = feed.readAfter(feed.head() - 2, 10);
        assertThat(events).extracting(ChangeEvent::detail).containsExactly(
                "{\"op\":\"deleted\",\"from\":\"device/north-1\",\"kind\":\"in\",\"to\":\"zone/hq/north\"}",
                "{\"op\":\"created\",\"from\":\"device/north-1\",\"kind\":\"in\",\"to\":\"zone/hq/south\"}");
        assertThat(events.get(0).endpoint()).isEqualTo("north-1");
    }

    @Test
    void deletingAnEntityRemovesItsEdgesAndSaysSoInTheFeed() {
        sixSensors();
        entities.importGraph(siteImport());
        long head = feed.head();

        entities.delete(NodeKey.entity("zone/hq/north"), null);

        List<ChangeEvent> events = feed.readAfter(head, 100);
        assertThat(events).hasSize(5);
        assertThat(events.subList(0, 4)).extracting(ChangeEvent::kind).containsOnly(ChangeEvent.Kind.EDGE);
        assertThat(events.get(4).kind()).isEqualTo(ChangeEvent.Kind.ENTITY);
        assertThat(events.get(4).detail()).startsWith("{\"op\":\"deleted\"");
        assertThat(events.get(4).revision()).isEqualTo(2);
        assertThat(keys("within 2 of site/hq and path=*/3303/*/5700")).hasSize(3);
        assertThatThrownBy(() -> entities.delete(NodeKey.entity("zone/hq/north"), null))
                .isInstanceOfSatisfying(GraphException.class, e -> assertThat(e.reason()).isEqualTo(GraphException.Reason.NOT_FOUND));
    }

    @Test
    void concurrentUpdatesOfOneEntityNeverLoseOneSilently() throws Exception {
        Entity created = entities.put(EntityDraft.of("asset/pump-1", "Pump", Map.of()), 0L);
        assertThat(created.revision()).isEqualTo(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String label = "Pump " + i;
                attempts.add(pool.submit(() -> {
                    start.await();
                    try {
                        entities.put(EntityDraft.of("asset/pump-1", label, Map.of()), 1L);
                        return true;
                    } catch (GraphException e) {
                        assertThat(e.reason()).isEqualTo(GraphException.Reason.REVISION_CONFLICT);
                        return false;
                    }
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> attempt : attempts) {
                won += attempt.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).as("exactly one writer of revision 1 wins; the others are told to re-read").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(entities.entity(NodeKey.entity("asset/pump-1")).orElseThrow().revision()).isEqualTo(2);
        List<ChangeEvent> all = feed.readAfter(0, 100);
        assertThat(all).extracting(ChangeEvent::sequence).containsExactly(1L, 2L);
    }

    @Test
    void twoProcessesWritingTheSameResourcesLoseNoUpdateAndKeepTheFeedGapFree() throws Exception {
        try (Database second = Database.open(settings())) {
            WorldStore other = new WorldStore(second, clock);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (WorldStore store : List.of(world, other)) {
                    writers.add(pool.submit(() -> {
                        for (int i = 0; i < 40; i++) {
                            store.commit(List.of(new ReportedValue("shared-1", TEMPERATURE,
                                    TypedValue.ofFloat(store == world ? i : 1000 + i), null, clock.instant())));
                        }
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(world.value("shared-1", TEMPERATURE).orElseThrow().revision()).isEqualTo(80);
        List<ChangeEvent> all = feed.readAfter(0, 1000);
        assertThat(all).hasSize(80);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).sequence()).isEqualTo(i + 1L);
            assertThat(all.get(i).revision()).isEqualTo(i + 1L);
        }
    }

    @Test
    void deviceNodesCarryARevisionThatGrowsWithEachStateChange() {
        world.commit(List.of(new DeviceStateChange("dev-1", DeviceState.ONLINE, null, clock.instant())));
        world.commit(List.of(new DeviceStateChange("dev-1", DeviceState.OFFLINE, null, clock.instant())));

        assertThat(feed.readAfter(0, 10)).extracting(ChangeEvent::revision).containsExactly(2L, 3L);
        assertThat(queries.run(NodeQuery.parse("endpoint=dev-1"), null, 10).hits()).singleElement()
                .satisfies(hit -> assertThat(hit.revision()).isEqualTo(3));
    }

    @Test
    void resourcesAreDescribedByTheModelOfTheObjectVersionTheirDeviceRegisteredWithAndUnknownOnesAreFlagged() {
        ModelCatalog catalog = new ModelCatalog(world);
        catalog.publish(List.of(
                new ObjectModel(3303, "1.0", "Temperature", "urn:oma:lwm2m:ext:3303", "1.0", true, false, null,
                        List.of(new ResourceModel(5700, "Sensor Value", "FLOAT", "R", false, true, null, null, null))),
                new ObjectModel(3303, "1.1", "Temperature", "urn:oma:lwm2m:ext:3303:1.1", "1.1", true, false, null,
                        List.of(new ResourceModel(5700, "Sensor Value", "FLOAT", "R", false, true, "Cel", null, null)))));
        world.commit(List.of(
                new WorldUpdate.DeviceObjects("old-1", Map.of(3303, "1.0")),
                new WorldUpdate.DeviceObjects("new-1", Map.of(3303, "1.1")),
                new ReportedValue("old-1", TEMPERATURE, TypedValue.ofFloat(20), null, clock.instant()),
                new ReportedValue("new-1", TEMPERATURE, TypedValue.ofFloat(21), null, clock.instant()),
                new ReportedValue("new-1", ResourcePath.of(33999, 0, 1), TypedValue.ofOpaque(new byte[] {1, 2}), null,
                        clock.instant())));

        List<QueryHit> hits = queries.run(NodeQuery.parse("path=*/*/*/*"), null, 10).hits();

        assertThat(hits).extracting(hit -> hit.key().value()).containsExactly("device/new-1/3303/0/5700",
                "device/new-1/33999/0/1", "device/old-1/3303/0/5700");
        ResourceHit unknown = (ResourceHit) hits.get(1);
        assertThat(unknown.model().known()).isFalse();
        assertThat(unknown.model().unknownReason()).contains("33999");
        assertThat(unknown.value().value().text()).as("kept raw, not dropped").isEqualTo("0102");
        ResourceHit newer = (ResourceHit) hits.get(0);
        assertThat(newer.model().objectVersion()).isEqualTo("1.1");
        assertThat(newer.model().resource().units()).isEqualTo("Cel");
        ResourceHit older = (ResourceHit) hits.get(2);
        assertThat(older.model().objectVersion()).isEqualTo("1.0");
        assertThat(older.model().resource().name()).isEqualTo("Sensor Value");
        assertThat(older.model().resource().units()).isNull();
        assertThat(catalog.deviceObjects("new-1")).containsEntry(3303, "1.1");
    }

    @Test
    void aRestartLosesNoCommittedValueNorTheGraph() {
        sixSensors();
        entities.importGraph(siteImport());
        world.commit(List.of(new ReportedValue("north-1", TEMPERATURE, TypedValue.ofFloat(25.25), null, clock.instant())));
        long head = feed.head();
        database.close();

        open();

        assertThat(feed.head()).isEqualTo(head);
        assertThat(world.value("north-1", TEMPERATURE).orElseThrow().value().json()).isEqualTo(25.25);
        assertThat(keys("within 1 of zone/hq/north and path=*/3303/*/5700")).hasSize(3);
    }

    static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
