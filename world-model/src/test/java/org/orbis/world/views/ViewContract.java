package org.orbis.world.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.entities.EntityStore;
import org.orbis.world.entities.GraphImport;
import org.orbis.world.entities.GraphImport.EdgeItem;
import org.orbis.world.entities.GraphImport.EntityItem;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.models.ModelCatalog;
import org.orbis.world.query.QueryEngine;
import org.orbis.world.query.QueryException;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate;
import org.orbis.world.store.WorldUpdate.DeviceStateChange;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/** Views keep their result current as the world changes; run once per database backend. */
abstract class ViewContract {

    static final ResourcePath TEMPERATURE = ResourcePath.of(3303, 0, 5700);
    static final Duration WITHIN = Duration.ofSeconds(20);

    Database database;
    WorldStore world;
    ChangeFeed feed;
    EntityStore entities;
    ViewStore views;
    ViewMaintainer maintainer;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        world = new WorldStore(database, java.time.Clock.systemUTC());
        feed = new ChangeFeed(world);
        entities = new EntityStore(world);
        views = new ViewStore(world);
        maintainer = new ViewMaintainer(views, new QueryEngine(world, new ModelCatalog(world), entities), feed).start();
        List<WorldUpdate> updates = new ArrayList<>();
        List<EdgeItem> edges = new ArrayList<>();
        for (String endpoint : List.of("north-1", "north-2", "north-3", "south-1", "south-2", "south-3")) {
            updates.add(new DeviceStateChange(endpoint, DeviceState.ONLINE, null, Instant.now()));
            updates.add(new ReportedValue(endpoint, TEMPERATURE, TypedValue.ofFloat(20), null, Instant.now()));
            edges.add(new EdgeItem("edge", "device/" + endpoint, "in", "zone/hq/" + endpoint.substring(0, 5), false));
        }
        world.commit(updates);
        entities.importGraph(new GraphImport(List.of(new EntityItem("a", "site/hq", null, Map.of()),
                new EntityItem("b", "zone/hq/north", null, Map.of()), new EntityItem("c", "zone/hq/south", null, Map.of())),
                edges));
    }

    @AfterEach
    void close() {
        maintainer.close();
        database.close();
    }

    List<String> members(String view) {
        return views.members(view).stream().map(NodeKey::value).toList();
    }

    void awaitMaintained() {
        long head = feed.head();
        await().atMost(WITHIN).until(() -> maintainer.progress() >= head
                && views.views().stream().allMatch(ViewDefinition::ready));
    }

    @Test
    void aViewHoldsItsQueryResultAndFollowsMovesAndDeletions() {
        views.define("north-temperatures", "within 1 of zone/hq/north and path=*/3303/*/5700", "north wing");
        awaitMaintained();
        assertThat(members("north-temperatures")).containsExactly("device/north-1/3303/0/5700",
                "device/north-2/3303/0/5700", "device/north-3/3303/0/5700");
        long beforeMove = maintainer.progress();

        entities.link(NodeKey.device("south-1"), "in", NodeKey.entity("zone/hq/north"), true);
        awaitMaintained();
        assertThat(members("north-temperatures")).hasSize(4).contains("device/south-1/3303/0/5700");

        ViewState resumed = views.state("north-temperatures", beforeMove).orElseThrow();
        assertThat(resumed.members()).as("membership as it was before the move").hasSize(3);
        assertThat(resumed.changes()).singleElement().satisfies(change -> {
            assertThat(change.entered()).isTrue();
            assertThat(change.key().value()).isEqualTo("device/south-1/3303/0/5700");
            assertThat(change.sequence()).isGreaterThan(beforeMove);
        });

        entities.delete(NodeKey.entity("zone/hq/north"), null);
        awaitMaintained();
        assertThat(members("north-temperatures")).as("deleting the zone empties the view").isEmpty();
    }

    @Test
    void newResourcesAndStateChangesMoveNodesInAndOutOfFleetViews() {
        views.define("online-temperatures", "path=*/3303/*/5700 and state=online", null);
        awaitMaintained();
        assertThat(members("online-temperatures")).hasSize(6);

        world.commit(List.of(new DeviceStateChange("south-2", DeviceState.OFFLINE, null, Instant.now()),
                new DeviceStateChange("east-1", DeviceState.ONLINE, null, Instant.now()),
                new ReportedValue("east-1", TEMPERATURE, TypedValue.ofFloat(19), null, Instant.now())));
        awaitMaintained();

        assertThat(members("online-temperatures")).hasSize(6).contains("device/east-1/3303/0/5700")
                .doesNotContain("device/south-2/3303/0/5700");
        long progress = maintainer.progress();
        world.commit(List.of(new ReportedValue("north-1", TEMPERATURE, TypedValue.ofFloat(25), null, Instant.now())));
        awaitMaintained();
        assertThat(views.changes("online-temperatures", progress, maintainer.progress()))
                .as("a member's new value is no membership change").isEmpty();
    }

    @Test
    void manyViewsAreReadAtOnceWithTheirMembershipChangesByView() {
        views.define("north", "within 1 of zone/hq/north and path=*/3303/*/5700", null);
        views.define("south", "within 1 of zone/hq/south and path=*/3303/*/5700", null);
        awaitMaintained();
        long before = maintainer.progress();

        entities.link(NodeKey.device("south-1"), "in", NodeKey.entity("zone/hq/north"), true);
        awaitMaintained();

        assertThat(views.views(List.of("north", "south", "nowhere")).keySet()).containsExactlyInAnyOrder("north", "south");
        Map<String, List<ViewChange>> changes = views.changes(List.of("north", "south", "nowhere"), before,
                maintainer.progress());
        assertThat(changes.keySet()).containsExactlyInAnyOrder("north", "south");
        assertThat(changes.get("north")).singleElement().satisfies(change -> {
            assertThat(change.entered()).isTrue();
            assertThat(change.key().value()).isEqualTo("device/south-1/3303/0/5700");
        });
        assertThat(changes.get("south")).singleElement().satisfies(change -> assertThat(change.entered()).isFalse());
        assertThat(changes.get("north")).isEqualTo(views.changes("north", before, maintainer.progress()));
        assertThat(views.changes(List.of(), before, maintainer.progress())).isEmpty();
    }

    @Test
    void acknowledgedCopiesAreMarkedDeliveredTogetherAndNeverMovedBack() {
        views.define("north", "within 1 of zone/hq/north and path=*/3303/*/5700", null);
        DeviceViewStore deviceViews = new DeviceViewStore(world);
        deviceViews.assign("north-1", "north", Duration.ZERO, false, 5);
        deviceViews.assign("north-2", "north", Duration.ZERO, false, 5);
        deviceViews.markPending(java.util.Set.of("north"), 9);
        List<DeviceView> due = deviceViews.due();
        assertThat(due).hasSize(2).allMatch(view -> view.pendingSequence() == 9);
        java.time.Instant sent = java.time.Instant.parse("2026-11-24T01:00:00Z");

        deviceViews.markDelivered(due, List.of(sent, sent));
        deviceViews.markDelivered(List.of(new DeviceView("north-1", "north", 0, Duration.ZERO, 7, -1, null, false)),
                List.of(sent.plusSeconds(1)));

        assertThat(deviceViews.due()).isEmpty();
        assertThat(deviceViews.all()).hasSize(2).allSatisfy(view -> {
            assertThat(view.isBehind()).isFalse();
            assertThat(view.deliveredSequence()).as("an older copy never moves delivery back").isEqualTo(9);
            assertThat(view.lastSentAt()).isEqualTo(sent);
        });

        deviceViews.markDevicesUndelivered(java.util.Set.of("north-2"));
        deviceViews.markUndelivered("north-1", 0);
        assertThat(deviceViews.due()).as("a rebooted device and a lost instance get their copies again").hasSize(2);

        deviceViews.markDelivered(deviceViews.due(), List.of(sent, sent));
        deviceViews.markViewsUndelivered(java.util.Set.of("north"));
        assertThat(deviceViews.due()).as("a view evaluated afresh goes to every device again").hasSize(2);
    }

    @Test
    void redefiningAViewRecomputesItAndABadQueryIsRefused() {
        views.define("zone-view", "within 1 of zone/hq/north and path=*/3303/*/5700", null);
        awaitMaintained();
        ViewDefinition changed = views.define("zone-view", "within 1 of zone/hq/south and path=*/3303/*/5700", null);
        assertThat(changed.revision()).isEqualTo(2);
        awaitMaintained();
        assertThat(members("zone-view")).containsExactly("device/south-1/3303/0/5700", "device/south-2/3303/0/5700",
                "device/south-3/3303/0/5700");
        assertThatThrownBy(() -> views.define("broken", "path=3303", null)).isInstanceOf(QueryException.class);
        assertThat(views.delete("zone-view")).isTrue();
        assertThat(views.view("zone-view")).isEmpty();
    }
}
