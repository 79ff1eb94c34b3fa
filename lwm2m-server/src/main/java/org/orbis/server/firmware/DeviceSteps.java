package org.orbis.server.firmware;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.orbis.world.commands.Command;
import org.orbis.world.commands.CommandStatus;
import org.orbis.world.commands.CommandStore;
import org.orbis.world.firmware.Campaign;
import org.orbis.world.firmware.CampaignDevice;
import org.orbis.world.firmware.CampaignStore;
import org.orbis.world.firmware.Delivery;
import org.orbis.world.firmware.DeviceUpdateState;
import org.orbis.world.firmware.FirmwareImage;
import org.orbis.world.store.FeedTransaction;
import org.orbis.world.store.WorldStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's way through an update, as commands of its durable queue: reset and Package URI (pull) or Package
 * (push) → the device reports Downloaded → Update → it reports the new version. Each transition commits the device's
 * new state together with the commands it queues, so a restart finds both or neither. What the device reports comes
 * from the world model ({@link DeviceReport}); when it stays silent for a poll interval, a read of its Firmware Update
 * object is queued. Runs on the campaign runner's thread only.
 */
final class DeviceSteps {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSteps.class);
    private static final Set<String> REFUSALS = Set.of("BAD_REQUEST", "METHOD_NOT_ALLOWED", "NOT_FOUND", "UNAUTHORIZED",
            "FORBIDDEN", "UNSUPPORTED_CONTENT_FORMAT", "NOT_ACCEPTABLE");

    private final WorldStore world;
    private final CampaignStore campaigns;
    private final CommandStore commands;
    private final PackageAccess access;
    private final LongFunction<String> packageUri;
    private final Consumer<String> wake;
    private final Clock clock;
    private final Duration pollInterval;

    DeviceSteps(WorldStore world, CampaignStore campaigns, CommandStore commands, PackageAccess access,
            LongFunction<String> packageUri, Consumer<String> wake, Clock clock, Duration pollInterval) {
        this.world = world;
        this.campaigns = campaigns;
        this.commands = commands;
        this.access = access;
        this.packageUri = packageUri;
        this.wake = wake;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /** Starts an attempt: queues the reset and the package transfer. */
    void start(Campaign campaign, FirmwareImage image, CampaignDevice device) {
        String endpoint = device.endpoint();
        Integer reported = DeviceReport.intValue(world, endpoint, DeviceReport.DELIVERY_METHOD);
        Delivery delivery = delivery(campaign.delivery(), reported);
        if (delivery == null) {
            fail(campaign, device, null, "the device accepts packages by " + (reported != null && reported == 0
                    ? "pull" : "push") + " only (/5/0/9) and the campaign delivers by " + campaign.delivery().label(),
                    false, false);
            return;
        }
        Instant now = clock.instant();
        Duration ttl = campaign.policy().deviceTimeout();
        String from = device.fromVersion() != null ? device.fromVersion()
                : DeviceReport.text(world, endpoint, DeviceReport.FIRMWARE_VERSION);
        String uri = packageUri.apply(image.id());
        world.inFeedTransaction(feed -> {
            commands.enqueue(feed, CampaignCommands.reset(endpoint, ttl));
            Command step = commands.enqueue(feed, delivery == Delivery.PULL
                    ? CampaignCommands.packageUri(endpoint, uri, ttl)
                    : CampaignCommands.pushPackage(endpoint, image.id(), ttl));
            return campaigns.update(feed, device.edit().state(DeviceUpdateState.TRANSFERRING).delivery(delivery)
                    .attempts(device.attempts() + 1).fromVersion(from)
                    .startedAt(device.startedAt() == null ? now : device.startedAt()).attemptAt(now).stepAt(now)
                    .stepCommandId(step.id()).pollCommandId(null).polledAt(null).notBefore(null).resultCode(null)
                    .detail(delivery == Delivery.PULL ? "queued: Package URI " + uri
                            : "queued: write of the " + image.size() + "-byte package to /5/0/0")
                    .done(), true);
        });
        if (delivery == Delivery.PULL) {
            access.allow(endpoint, image.id());
        }
        LOG.info("{}: firmware {} attempt {} of campaign {} started ({})", endpoint, image.version(),
                device.attempts() + 1, campaign.id(), delivery.label());
        wake.accept(endpoint);
    }

    /** Looks at what the device reported and moves it on if it can. */
    void evaluate(Campaign campaign, FirmwareImage image, CampaignDevice device) {
        switch (device.state()) {
            case TRANSFERRING -> evaluateTransfer(campaign, device);
            case UPDATING -> evaluateUpdate(campaign, image, device);
            default -> {
                // pending and waiting devices are started by the runner; final ones are done
            }
        }
    }

    /** Asks the command dispatcher to look at the device's queue (after a transaction queued something for it). */
    void wake(String endpoint) {
        wake.accept(endpoint);
    }

    /**
     * Cancels what the device still has queued, inside the caller's transaction, and marks it cancelled; a device
     * that may be downloading is sent a reset ({@link #wake} it after the commit).
     */
    void cancel(FeedTransaction feed, Campaign campaign, CampaignDevice device, String why) {
        cancelQueued(feed, device, why);
        if (device.state() == DeviceUpdateState.TRANSFERRING) {
            commands.enqueue(feed, CampaignCommands.reset(device.endpoint(), campaign.policy().deviceTimeout()));
        }
        campaigns.update(feed, device.edit().state(DeviceUpdateState.CANCELLED).finishedAt(feed.now()).notBefore(null)
                .detail(why).done(), false);
    }

    private void evaluateTransfer(Campaign campaign, CampaignDevice device) {
        Optional<Command> step = stepCommand(device);
        if (step.isEmpty()) {
            fail(campaign, device, null, "its package transfer command disappeared", true, true);
            return;
        }
        Command command = step.get();
        DeviceReport report = DeviceReport.of(world, device, pollCommand(device));
        if (report.downloaded()) {
            toUpdating(campaign, device);
        } else if (!command.status().isFinal()) {
            checkTimeout(campaign, device);
        } else if (command.status() != CommandStatus.SUCCEEDED) {
            stepFailed(campaign, device, command, "the package transfer", true);
        } else if (report.failure() != null) {
            UpdateResult failure = report.failure();
            fail(campaign, device, failure.code(), "the device reports " + failure.describe(), failure.retryable(),
                    false);
        } else if (report.idleWithoutResult()) {
            fail(campaign, device, null, "the device is idle and no longer knows of the package", true, false);
        } else if (!checkTimeout(campaign, device)) {
            pollIfSilent(campaign, device, false, false);
        }
    }

    private void evaluateUpdate(Campaign campaign, FirmwareImage image, CampaignDevice device) {
        Optional<Command> step = stepCommand(device);
        String version = DeviceReport.text(world, device.endpoint(), DeviceReport.FIRMWARE_VERSION);
        if (image.version().equals(version)) {
            world.inFeedTransaction(feed -> campaigns.update(feed, device.edit().state(DeviceUpdateState.SUCCEEDED)
                    .finishedAt(feed.now()).resultCode(UpdateResult.SUCCESS.code())
                    .detail("reports firmware " + version + " (was " + device.fromVersion() + ")").done(), false));
            LOG.info("{}: firmware {} installed (campaign {})", device.endpoint(), version, campaign.id());
            return;
        }
        if (step.isEmpty()) {
            fail(campaign, device, null, "its Update command disappeared", true, true);
            return;
        }
        Command command = step.get();
        if (!command.status().isFinal()) {
            checkTimeout(campaign, device);
            return;
        }
        if (command.status() != CommandStatus.SUCCEEDED) {
            // A refused Update may be one sent twice (across a restart) to a device that installed it already: ask
            // the device before counting the attempt as failed.
            Optional<Command> poll = pollCommand(device);
            boolean askedSince = poll.isPresent() && device.polledAt() != null
                    && !device.polledAt().isBefore(command.updatedAt());
            if (!askedSince) {
                pollIfSilent(campaign, device, true, true);
            } else if (poll.get().status().isFinal()) {
                // The device is not on the new version and has no package to install: start over.
                stepFailed(campaign, device, command, "Update (/5/0/2)", false);
            }
            return;
        }
        DeviceReport report = DeviceReport.of(world, device, pollCommand(device));
        UpdateResult failure = report.failure();
        if (failure != null) {
            fail(campaign, device, failure.code(), "installing failed: the device reports " + failure.describe(),
                    failure.retryable(), false);
        } else if (!checkTimeout(campaign, device)) {
            pollIfSilent(campaign, device, true, false);
        }
    }

    private void toUpdating(Campaign campaign, CampaignDevice device) {
        long served = access.bytesServed(device.endpoint());
        access.revoke(device.endpoint());
        world.inFeedTransaction(feed -> {
            cancelQueued(feed, device, "the package arrived");
            Command update = commands.enqueue(feed, CampaignCommands.update(device.endpoint(),
                    campaign.policy().deviceTimeout()));
            return campaigns.update(feed, device.edit().state(DeviceUpdateState.UPDATING).stepCommandId(update.id())
                    .stepAt(feed.now()).pollCommandId(null).polledAt(null)
                    .detail("package downloaded and verified" + (device.delivery() == Delivery.PULL && served >= 0
                            ? " (" + served + " bytes served)" : "") + "; Update queued")
                    .done(), true);
        });
        wake.accept(device.endpoint());
    }

    /**
     * The step's command ended without success: no delivery may be retried; a refusal too unless it is final (a
     * device that refuses a package transfer will refuse it again).
     */
    private void stepFailed(Campaign campaign, CampaignDevice device, Command command, String what,
            boolean refusalIsFinal) {
        String code = command.responseCode() == null ? command.status().label() : command.responseCode();
        if ("REQUEST_ENTITY_TOO_LARGE".equals(code)) {
            fail(campaign, device, UpdateResult.NOT_ENOUGH_FLASH.code(), "the device refused the package as too large",
                    false, false);
        } else if (command.status() == CommandStatus.FAILED && REFUSALS.contains(code)) {
            fail(campaign, device, null, "the device refused " + what + ": " + code + answer(command), !refusalIsFinal,
                    false);
        } else {
            fail(campaign, device, null, what + " was not delivered: " + code.toLowerCase(java.util.Locale.ROOT)
                    + answer(command), true, false);
        }
    }

    /** Fails the attempt if it has run longer than the policy allows; returns whether it did. */
    private boolean checkTimeout(Campaign campaign, CampaignDevice device) {
        Duration timeout = campaign.policy().deviceTimeout();
        if (device.attemptAt() == null || clock.instant().isBefore(device.attemptAt().plus(timeout))) {
            return false;
        }
        fail(campaign, device, null, "no outcome within the device timeout of " + timeout, true, true);
        return true;
    }

    /**
     * Queues a read of the device's Firmware Update object (and of its firmware version) when it has said nothing for a
     * poll interval, or at once if {@code now}.
     */
    private void pollIfSilent(Campaign campaign, CampaignDevice device, boolean withVersion, boolean now) {
        Instant last = device.polledAt() != null ? device.polledAt() : device.stepAt();
        if (!now && last != null && clock.instant().isBefore(last.plus(pollInterval))) {
            return;
        }
        Optional<Command> previous = pollCommand(device);
        if (previous.isPresent() && !previous.get().status().isFinal()) {
            return;
        }
        Duration ttl = campaign.policy().deviceTimeout();
        world.inFeedTransaction(feed -> {
            if (withVersion) {
                commands.enqueue(feed, CampaignCommands.read(device.endpoint(), CampaignCommands.FIRMWARE_VERSION, ttl));
            }
            Command poll = commands.enqueue(feed, CampaignCommands.read(device.endpoint(),
                    CampaignCommands.FIRMWARE_OBJECT, ttl));
            campaigns.recordPoll(feed, device.edit().pollCommandId(poll.id()).polledAt(feed.now()).done());
            return poll;
        });
        wake.accept(device.endpoint());
    }

    /**
     * Ends the attempt: another one after the back-off if the failure may pass and attempts remain, else the device
     * has failed.
     *
     * @param resetDevice also queue a reset, for a device that may still be busy with the attempt
     */
    private void fail(Campaign campaign, CampaignDevice device, Integer result, String why, boolean retryable,
            boolean resetDevice) {
        boolean retry = retryable && device.attempts() < campaign.policy().maxAttempts() && device.attempts() > 0;
        Duration backoff = campaign.policy().backoffAfter(device.attempts());
        access.revoke(device.endpoint());
        world.inFeedTransaction(feed -> {
            cancelQueued(feed, device, why);
            if (resetDevice) {
                commands.enqueue(feed, CampaignCommands.reset(device.endpoint(), campaign.policy().deviceTimeout()));
            }
            return campaigns.update(feed, device.edit()
                    .state(retry ? DeviceUpdateState.WAITING_RETRY : DeviceUpdateState.FAILED)
                    .notBefore(retry ? feed.now().plus(backoff) : null).finishedAt(retry ? null : feed.now())
                    .resultCode(result)
                    .detail(why + (retry ? "; attempt " + (device.attempts() + 1) + " in " + backoff.toSeconds() + " s"
                            : device.attempts() > 1 ? " (attempt " + device.attempts() + ")" : ""))
                    .done(), false);
        });
        LOG.warn("{}: firmware attempt {} of campaign {} failed: {}{}", device.endpoint(), device.attempts(),
                campaign.id(), why, retry ? "; retrying in " + backoff : "");
        if (resetDevice) {
            wake.accept(device.endpoint());
        }
    }

    private void cancelQueued(FeedTransaction feed, CampaignDevice device, String why) {
        if (device.stepCommandId() != null) {
            commands.cancelIfQueued(feed, device.stepCommandId(), why);
        }
        if (device.pollCommandId() != null) {
            commands.cancelIfQueued(feed, device.pollCommandId(), why);
        }
    }

    private Optional<Command> stepCommand(CampaignDevice device) {
        return device.stepCommandId() == null ? Optional.empty() : commands.get(device.stepCommandId());
    }

    private Optional<Command> pollCommand(CampaignDevice device) {
        return device.pollCommandId() == null ? Optional.empty() : commands.get(device.pollCommandId());
    }

    private static String answer(Command command) {
        return command.response() == null ? "" : " " + command.response();
    }

    /** The delivery for a device: the campaign's choice, or with AUTO what the device accepts (pull preferred). */
    static Delivery delivery(Delivery campaign, Integer reported) {
        boolean pull = reported == null || reported == 0 || reported == 2;
        boolean push = reported == null || reported == 1 || reported == 2;
        return switch (campaign) {
            case AUTO -> pull ? Delivery.PULL : Delivery.PUSH;
            case PULL -> pull ? Delivery.PULL : null;
            case PUSH -> push ? Delivery.PUSH : null;
        };
    }
}
