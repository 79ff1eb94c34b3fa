package org.orbis.world.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.FeedGoneException;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.testing.TestClock;

/** History of resource values and retention of history and feed; run once per database backend. */
abstract class HistoryContract {

    static final ResourcePath TEMPERATURE = ResourcePath.of(3303, 0, 5700);
    static final NodeKey KEY = NodeKey.resource("dev-1", TEMPERATURE);
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    TestClock clock = new TestClock(T0);
    Database database;
    WorldStore world;
    ChangeFeed feed;
    HistoryStore history;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        world = new WorldStore(database, clock);
        feed = new ChangeFeed(world);
        history = new HistoryStore(world);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** One value a minute for an hour: 0, 1, 2, … 59 degrees; the device gives its own timestamps. */
    void anHourOfTemperatures() {
        List<WorldUpdate> updates = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            Instant at = T0.plus(Duration.ofMinutes(minute));
            updates.add(new ReportedValue("dev-1", TEMPERATURE, TypedValue.ofFloat(minute), at, T0.plusSeconds(3600)));
        }
        world.commit(updates);
    }

    @Test
    void everyCommittedValueLandsInTheHistoryInOrder() {
        anHourOfTemperatures();

        List<HistoryPoint> points = history.points(KEY, T0, T0.plus(Duration.ofHours(1)), 1000);

        assertThat(points).hasSize(60);
        assertThat(points).extracting(point -> point.value().json()).startsWith(0.0, 1.0, 2.0).endsWith(59.0);
        assertThat(points).extracting(HistoryPoint::at).isSorted();
        assertThat(points.get(10).at()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(history.points(KEY, T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(35)), 1000))
                .extracting(point -> point.value().json()).containsExactly(30.0, 31.0, 32.0, 33.0, 34.0);
    }

    @Test
    void historyIsDownsampledToMinMaxAndAveragePerBucketWhenAsked() {
        anHourOfTemperatures();

        List<HistoryBucket> buckets = history.buckets(KEY, T0, T0.plus(Duration.ofHours(1)), 4);

        assertThat(buckets).hasSize(4);
        HistoryBucket first = buckets.get(0);
        assertThat(first.start()).isEqualTo(T0);
        assertThat(first.end()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(first.count()).isEqualTo(15);
        assertThat(first.min()).isEqualTo(0.0);
        assertThat(first.max()).isEqualTo(14.0);
        assertThat(first.avg()).isEqualTo(7.0);
        assertThat(buckets.get(3).max()).isEqualTo(59.0);
    }

    @Test
    void retentionPrunesOldHistoryAndFeedAndAReaderTooFarBehindIsToldToResync() {
        world.commit(List.of(value(1.0), value(2.0)));
        long old = feed.head();
        clock.advance(Duration.ofDays(8));
        world.commit(List.of(value(3.0)));

        Housekeeper.Pruned pruned = new Housekeeper(world, new Retention(Duration.ofDays(30), Duration.ofDays(7),
                Duration.ofMinutes(10))).runOnce();

        assertThat(pruned.feedRows()).isEqualTo(2);
        assertThat(pruned.historyRows()).as("history keeps 30 days").isZero();
        assertThat(feed.prunedThrough()).isEqualTo(old);
        assertThat(feed.readAfter(old, 10)).extracting(event -> event.value().json()).containsExactly(3.0);
        assertThatThrownBy(() -> feed.readAfter(0, 10)).isInstanceOf(FeedGoneException.class)
                .hasMessageContaining("resume from the feed's head");
        assertThat(history.points(KEY, T0.minusSeconds(1), clock.instant().plusSeconds(1), 10)).hasSize(3);

        clock.advance(Duration.ofDays(31));
        assertThat(new Housekeeper(world, Retention.defaults()).runOnce().historyRows()).isEqualTo(3);
        assertThat(history.points(KEY, T0.minusSeconds(1), clock.instant(), 10)).isEmpty();
        assertThat(world.value("dev-1", TEMPERATURE).orElseThrow().value().json())
                .as("retention never touches current values").isEqualTo(3.0);
    }

    private ReportedValue value(double celsius) {
        return new ReportedValue("dev-1", TEMPERATURE, TypedValue.ofFloat(celsius), null, clock.instant());
    }
}
