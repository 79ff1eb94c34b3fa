package org.orbis.world.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orbis.world.credentials.CredentialStore;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.Database;
import org.orbis.world.store.DatabaseSettings;
import org.orbis.world.store.WorldStore;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.testing.TestClock;

/** What the durable command queue and desired values promise, run once per database backend. */
abstract class CommandStoreContract {

    private static final ResourcePath LIGHT = ResourcePath.parse("/3311/0/5850");

    Database database;
    WorldStore world;
    TestClock clock;
    CommandStore commands;
    DesiredStore desired;
    ChangeFeed feed;

    abstract DatabaseSettings settings();

    @BeforeEach
    void open() {
        database = Database.open(settings());
        clock = TestClock.atNow();
        world = new WorldStore(database, clock);
        commands = new CommandStore(world);
        desired = new DesiredStore(world);
        feed = new ChangeFeed(world);
        CredentialStore credentials = new CredentialStore(world);
        credentials.provision("dev-1", List.of());
        credentials.provision("dev-2", List.of());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aCommandQueuedInsideAnotherTransactionCommitsOrRollsBackWithIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world.inFeedTransaction(tx -> {
            commands.enqueue(tx, write("dev-1", "/3311/0/5851", 0));
            throw new IllegalStateException("the caller's own change failed");
        })).hasMessageContaining("own change failed");
        assertThat(commands.list(new CommandQuery("dev-1", null, 0, 10))).isEmpty();

        Command queued = world.inFeedTransaction(tx -> commands.enqueue(tx, write("dev-1", "/3311/0/5851", 0)));
        boolean cancelled = world.inFeedTransaction(tx -> commands.cancelIfQueued(tx, queued.id(), "campaign aborted"));
        assertThat(cancelled).isTrue();
        assertThat(commands.get(queued.id()).orElseThrow().status()).isEqualTo(CommandStatus.CANCELLED);
        boolean again = world.inFeedTransaction(tx -> commands.cancelIfQueued(tx, queued.id(), "again"));
        assertThat(again).isFalse();
    }

    @Test
    void commandsAreDeliveredOneAtATimeByPriorityThenInOrder() {
        Command first = commands.enqueue(write("dev-1", "/3311/0/5851", 0));
        Command second = commands.enqueue(write("dev-1", "/3311/0/5852", 0));
        Command urgent = commands.enqueue(write("dev-1", "/3311/0/5706", 50));

        Command claimed = commands.claimNext("dev-1").orElseThrow();
        assertThat(claimed.id()).isEqualTo(urgent.id());
        assertThat(claimed.status()).isEqualTo(CommandStatus.SENT);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(commands.claimNext("dev-1")).as("nothing else while one is in flight").isEmpty();

        commands.complete(urgent.id(), true, "CHANGED", null);
        assertThat(commands.claimNext("dev-1").orElseThrow().id()).isEqualTo(first.id());
        commands.complete(first.id(), true, "CHANGED", null);
        assertThat(commands.claimNext("dev-1").orElseThrow().id()).isEqualTo(second.id());
        commands.complete(second.id(), false, "METHOD_NOT_ALLOWED", "{\"detail\":\"nope\"}");

        assertThat(commands.get(second.id()).orElseThrow()).satisfies(command -> {
            assertThat(command.status()).isEqualTo(CommandStatus.FAILED);
            assertThat(command.responseCode()).isEqualTo("METHOD_NOT_ALLOWED");
        });
        assertThat(commands.claimNext("dev-1")).isEmpty();
    }

    @Test
    void devicesHaveSeparateQueues() {
        commands.enqueue(write("dev-1", "/3311/0/5851", 0));
        Command other = commands.enqueue(write("dev-2", "/3311/0/5851", 0));
        commands.claimNext("dev-1").orElseThrow();

        assertThat(commands.claimNext("dev-2").orElseThrow().id()).isEqualTo(other.id());
        assertThat(commands.endpointsWithQueued()).isEmpty();
    }

    @Test
    void aNewerCommandWithTheSameCoalesceKeySupersedesTheQueuedOne() {
        Command older = commands.enqueue(coalesced("dev-1", "view:zone-a"));
        Command newer = commands.enqueue(coalesced("dev-1", "view:zone-a"));

        assertThat(commands.get(older.id()).orElseThrow().status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(commands.get(older.id()).orElseThrow().responseCode()).isEqualTo("SUPERSEDED");
        assertThat(commands.claimNext("dev-1").orElseThrow().id()).isEqualTo(newer.id());
    }

    @Test
    void anExpiredCommandIsNeverDeliveredAndShowsAsExpired() {
        Command stale = commands.enqueue(new NewCommand("dev-1", CommandKind.EXECUTE, "/3/0/4", null, 0, null, "api",
                Duration.ofMinutes(5), 3));
        Command fresh = commands.enqueue(write("dev-1", "/3311/0/5851", 0));
        clock.advance(Duration.ofMinutes(6));
        commands.enqueue(write("dev-2", "/3311/0/5851", 0));

        assertThat(commands.claimNext("dev-1")).as("the stale command is skipped, the fresh one sent").isPresent();
        assertThat(commands.get(stale.id()).orElseThrow().status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(commands.get(fresh.id()).orElseThrow().status()).isEqualTo(CommandStatus.SENT);
    }

    @Test
    void theExpirySweepMarksOverdueQueuedCommands() {
        Command stale = commands.enqueue(new NewCommand("dev-1", CommandKind.READ, "/3/0", null, 0, null, "api",
                Duration.ofSeconds(30), 3));
        clock.advance(Duration.ofMinutes(1));

        assertThat(commands.expireDue()).isEqualTo(1);
        assertThat(commands.get(stale.id()).orElseThrow().status()).isEqualTo(CommandStatus.EXPIRED);
    }

    @Test
    void aRetryWaitsItsTurnAndKeepsOrderThenFailsWhenAttemptsAreUsedUp() {
        Command write = commands.enqueue(new NewCommand("dev-1", CommandKind.WRITE, "/3311/0/5851", "{\"value\":1}", 0,
                null, "api", Duration.ofHours(1), 2));
        Command behind = commands.enqueue(write("dev-1", "/3311/0/5852", 0));
        commands.claimNext("dev-1").orElseThrow();
        commands.retry(write.id(), "TIMEOUT", clock.instant().plusSeconds(10));

        assertThat(commands.claimNext("dev-1")).as("the retry holds back the commands behind it").isEmpty();
        clock.advance(Duration.ofSeconds(11));
        assertThat(commands.claimNext("dev-1").orElseThrow().attempts()).isEqualTo(2);
        Command failed = commands.retry(write.id(), "TIMEOUT", clock.instant());

        assertThat(failed.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(commands.claimNext("dev-1").orElseThrow().id()).isEqualTo(behind.id());
    }

    @Test
    void onlyQueuedCommandsCanBeCancelled() {
        Command queued = commands.enqueue(write("dev-1", "/3311/0/5851", 0));
        Command other = commands.enqueue(write("dev-2", "/3311/0/5851", 0));
        commands.claimNext("dev-2");

        assertThat(commands.cancel(queued.id()).status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(commands.claimNext("dev-1")).isEmpty();
        assertThatThrownBy(() -> commands.cancel(other.id())).isInstanceOf(CommandStateException.class)
                .hasMessageContaining("sent");
    }

    @Test
    void commandsInFlightWhenTheServerStoppedGoBackToTheQueue() {
        Command write = commands.enqueue(write("dev-1", "/3311/0/5851", 0));
        commands.claimNext("dev-1");

        assertThat(commands.requeueInFlight()).isEqualTo(1);
        assertThat(commands.claimNext("dev-1").orElseThrow().id()).isEqualTo(write.id());
    }

    @Test
    void everyStatusChangeIsOnTheChangeFeed() {
        Command write = commands.enqueue(write("dev-1", "/3311/0/5851", 0));
        commands.claimNext("dev-1");
        commands.complete(write.id(), true, "CHANGED", null);

        assertThat(feed.readAfter(0, 100)).filteredOn(event -> event.kind() == ChangeEvent.Kind.COMMAND)
                .extracting(ChangeEvent::detail)
                .allMatch(detail -> detail.contains("\"id\":" + write.id()))
                .anyMatch(detail -> detail.contains("\"status\":\"queued\""))
                .anyMatch(detail -> detail.contains("\"status\":\"sent\""))
                .anyMatch(detail -> detail.contains("\"status\":\"succeeded\"") && detail.contains("\"code\":\"CHANGED\""));
    }

    @Test
    void commandsForUnknownDevicesAreRefused() {
        assertThatThrownBy(() -> commands.enqueue(write("nobody", "/3/0/1", 0)))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("nobody");
    }

    @Test
    void aDesiredValueQueuesItsWriteAndComesInSyncWhenTheDeviceReportsIt() {
        DesiredValue wanted = desired.set("dev-1", LIGHT, TypedValue.ofBoolean(true), desiredWrite("dev-1"));

        assertThat(wanted.inSync()).isFalse();
        assertThat(commands.get(wanted.commandId()).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(desired.outOfSync(0, 10).values()).extracting(DesiredValue::endpoint).containsExactly("dev-1");

        world.commit(List.of(new ReportedValue("dev-1", LIGHT, TypedValue.ofBoolean(true), null, Instant.now())));

        assertThat(desired.forDevice("dev-1")).singleElement().satisfies(value -> {
            assertThat(value.inSync()).isTrue();
            assertThat(value.syncedAt()).isNotNull();
        });
        assertThat(desired.outOfSync(0, 10).total()).isZero();
        assertThat(feed.readAfter(0, 100)).filteredOn(event -> event.kind() == ChangeEvent.Kind.DESIRED)
                .extracting(ChangeEvent::detail).last().asString().contains("\"inSync\":true");
    }

    @Test
    void aDesiredValueTheDeviceAlreadyReportsIsInSyncAtOnceAndQueuesNothing() {
        world.commit(List.of(new ReportedValue("dev-1", LIGHT, TypedValue.ofBoolean(false), null, Instant.now())));

        DesiredValue wanted = desired.set("dev-1", LIGHT, TypedValue.ofBoolean(false), desiredWrite("dev-1"));

        assertThat(wanted.inSync()).isTrue();
        assertThat(wanted.commandId()).isNull();
        assertThat(commands.endpointsWithQueued()).isEmpty();
    }

    @Test
    void aNewerDesiredValueSupersedesTheQueuedWriteOfTheOlderOne() {
        DesiredValue first = desired.set("dev-1", LIGHT, TypedValue.ofBoolean(true), desiredWrite("dev-1"));
        DesiredValue second = desired.set("dev-1", LIGHT, TypedValue.ofBoolean(false), desiredWrite("dev-1"));

        assertThat(second.revision()).isEqualTo(2);
        assertThat(commands.get(first.commandId()).orElseThrow().status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(commands.claimNext("dev-1").orElseThrow().id()).isEqualTo(second.commandId());
    }

    @Test
    void clearingADesiredValueCancelsItsWrite() {
        DesiredValue wanted = desired.set("dev-1", LIGHT, TypedValue.ofBoolean(true), desiredWrite("dev-1"));

        assertThat(desired.clear("dev-1", LIGHT)).isTrue();
        assertThat(desired.forDevice("dev-1")).isEmpty();
        assertThat(commands.get(wanted.commandId()).orElseThrow().status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(desired.clear("dev-1", LIGHT)).isFalse();
    }

    @Test
    void aDifferentReportAfterSyncMarksTheValueOutOfSyncAgain() {
        desired.set("dev-1", LIGHT, TypedValue.ofBoolean(true), desiredWrite("dev-1"));
        world.commit(List.of(new ReportedValue("dev-1", LIGHT, TypedValue.ofBoolean(true), null, Instant.now())));
        world.commit(List.of(new ReportedValue("dev-1", LIGHT, TypedValue.ofBoolean(false), null, Instant.now())));

        assertThat(desired.outOfSync(0, 10).values()).singleElement()
                .satisfies(value -> assertThat(value.value()).isEqualTo(TypedValue.ofBoolean(true)));
    }

    private static NewCommand write(String endpoint, String path, int priority) {
        return new NewCommand(endpoint, CommandKind.WRITE, path, "{\"value\":1}", priority, null, "api",
                NewCommand.DEFAULT_TTL, NewCommand.DEFAULT_MAX_ATTEMPTS);
    }

    private static NewCommand coalesced(String endpoint, String key) {
        return new NewCommand(endpoint, CommandKind.WRITE, "/33000/0/0", "{\"value\":\"x\"}", 0, key, "view",
                NewCommand.DEFAULT_TTL, NewCommand.DEFAULT_MAX_ATTEMPTS);
    }

    private static NewCommand desiredWrite(String endpoint) {
        return new NewCommand(endpoint, CommandKind.WRITE, LIGHT.toString(), "{\"value\":true}", 0,
                DesiredStore.coalesceKey(endpoint, LIGHT), "desired", NewCommand.DEFAULT_TTL,
                NewCommand.DEFAULT_MAX_ATTEMPTS);
    }
}
