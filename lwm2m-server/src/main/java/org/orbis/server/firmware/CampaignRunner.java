package org.orbis.server.firmware;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.orbis.world.firmware.Campaign;
import org.orbis.world.firmware.CampaignDevice;
import org.orbis.world.firmware.CampaignPolicy;
import org.orbis.world.firmware.CampaignProgress;
import org.orbis.world.firmware.CampaignState;
import org.orbis.world.firmware.CampaignStore;
import org.orbis.world.firmware.Delivery;
import org.orbis.world.firmware.DeviceUpdateState;
import org.orbis.world.firmware.FirmwareImage;
import org.orbis.world.firmware.FirmwareStore;
import org.orbis.world.graph.ChangeEvent;
import org.orbis.world.store.CommitListener;
import org.orbis.world.store.WorldStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every running campaign: starts devices as the policy allows (batch by batch, at most {@code concurrency} at
 * once, at most {@code ratePerMinute} starts a minute), moves each device on as it reports progress, retries failed
 * attempts after their back-off, and aborts a campaign whose failure share passes its threshold. Everything it
 * decides is in the database before it acts, so a restarted server resumes every campaign where it was.
 *
 * <p>One thread, {@code orbis-firmware}, does all of it (and the operator's pause, resume and abort), so campaign
 * state has a single writer. It wakes every tick, and at once when a device it waits for reports something (it
 * listens to the change feed; the listener only notes the device).
 */
public final class CampaignRunner implements CommitListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunner.class);
    private static final Set<DeviceUpdateState> ACTIVE = EnumSet.of(DeviceUpdateState.TRANSFERRING,
            DeviceUpdateState.UPDATING, DeviceUpdateState.WAITING_RETRY);
    private static final Set<DeviceUpdateState> UNFINISHED = EnumSet.of(DeviceUpdateState.PENDING,
            DeviceUpdateState.TRANSFERRING, DeviceUpdateState.UPDATING, DeviceUpdateState.WAITING_RETRY);
    private static final int MAX_ACTIVE_READ = 20_000;

    private final CampaignStore campaigns;
    private final FirmwareStore images;
    private final DeviceSteps steps;
    private final PackageAccess access;
    private final WorldStore world;
    private final Clock clock;
    private final Duration tick;
    private final Duration pollInterval;
    private final ScheduledExecutorService executor;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final Map<Long, FirmwareImage> imageCache = new ConcurrentHashMap<>();
    /** Devices of open campaigns that are under way, so the feed listener can ignore everyone else. */
    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    CampaignRunner(WorldStore world, CampaignStore campaigns, FirmwareStore images, DeviceSteps steps,
            PackageAccess access, Clock clock, Duration tick, Duration pollInterval) {
        this.world = world;
        this.campaigns = campaigns;
        this.images = images;
        this.steps = steps;
        this.access = access;
        this.clock = clock;
        this.tick = tick;
        this.pollInterval = pollInterval;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "orbis-firmware");
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    /** Picks up the campaigns a previous run left open and starts ticking. */
    void start() {
        executor.execute(this::recover);
        executor.scheduleWithFixedDelay(this::tickSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        world.addCommitListener(this);
    }

    /** Runs {@code work} on the runner's thread and waits for it (operator actions). */
    <T> T call(Callable<T> work) {
        try {
            return executor.submit(work).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the campaign runner did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks for a tick soon (a campaign was created or resumed). */
    void nudge() {
        if (wakeScheduled.compareAndSet(false, true)) {
            executor.execute(this::tickSafely);
        }
    }

    /** Notes devices under way that reported something; called on the committing thread, returns at once. */
    @Override
    public void committed(List<ChangeEvent> events) {
        boolean any = false;
        for (ChangeEvent event : events) {
            if (event.endpoint() != null && watched.contains(event.endpoint()) && concerns(event)) {
                changed.add(event.endpoint());
                any = true;
            }
        }
        if (any) {
            nudge();
        }
    }

    /** Stops starting devices; those under way go on. */
    Campaign pause(long campaignId) {
        return call(() -> {
            Campaign campaign = open(campaignId);
            return campaign.state() == CampaignState.PAUSED ? campaign
                    : campaigns.setState(campaignId, CampaignState.PAUSED, "paused by an operator");
        });
    }

    Campaign resume(long campaignId) {
        Campaign resumed = call(() -> {
            Campaign campaign = open(campaignId);
            return campaign.state() == CampaignState.RUNNING ? campaign
                    : campaigns.setState(campaignId, CampaignState.RUNNING, null);
        });
        nudge();
        return resumed;
    }

    Campaign abort(long campaignId, String reason) {
        return call(() -> abortNow(open(campaignId), reason));
    }

    @Override
    public void close() {
        world.removeCommitListener(this);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean concerns(ChangeEvent event) {
        return switch (event.kind()) {
            case VALUE -> event.path() != null && (event.path().objectId() == 5
                    || event.path().objectId() == 3 && event.path().resourceId() == 3);
            case COMMAND -> event.detail() != null && event.detail().contains("\"origin\":\"firmware\"");
            case DEVICE -> true;
            default -> false;
        };
    }

    private Campaign open(long campaignId) {
        Campaign campaign = campaigns.campaign(campaignId)
                .orElseThrow(() -> new IllegalArgumentException("no campaign " + campaignId));
        if (campaign.state().isFinal()) {
            throw new IllegalStateException("campaign " + campaignId + " has " + campaign.state().label()
                    + " and can no longer be changed");
        }
        return campaign;
    }

    private void recover() {
        try {
            int active = 0;
            for (Campaign campaign : campaigns.openCampaigns()) {
                for (CampaignDevice device : campaigns.devicesIn(campaign.id(), ACTIVE, MAX_ACTIVE_READ)) {
                    watched.add(device.endpoint());
                    changed.add(device.endpoint());
                    if (device.state() == DeviceUpdateState.TRANSFERRING && device.delivery() == Delivery.PULL) {
                        access.allow(device.endpoint(), campaign.imageId());
                    }
                    active++;
                }
            }
            if (active > 0) {
                LOG.info("resuming firmware campaigns: {} devices were under way when the server stopped", active);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not recover firmware campaigns: {}", e.toString());
        }
    }

    private void tickSafely() {
        wakeScheduled.set(false);
        try {
            Set<String> reported = new HashSet<>(changed);
            changed.removeAll(reported);
            for (Campaign campaign : campaigns.openCampaigns()) {
                advance(campaign, reported);
            }
        } catch (RuntimeException e) {
            LOG.warn("firmware campaign tick failed: {}", e.toString(), e);
        }
    }

    private void advance(Campaign campaign, Set<String> reported) {
        FirmwareImage image = image(campaign.imageId());
        Instant now = clock.instant();
        List<CampaignDevice> active = campaigns.devicesIn(campaign.id(), ACTIVE, MAX_ACTIVE_READ);
        for (CampaignDevice device : active) {
            watched.add(device.endpoint());
            try {
                if (device.state() == DeviceUpdateState.WAITING_RETRY) {
                    if (campaign.state() == CampaignState.RUNNING && !now.isBefore(device.notBefore())) {
                        steps.start(campaign, image, device);
                    }
                } else if (reported.contains(device.endpoint()) || due(campaign, device, now)) {
                    steps.evaluate(campaign, image, device);
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: firmware step of campaign {} failed: {}", device.endpoint(), campaign.id(), e.toString());
            }
        }
        Campaign current = campaigns.campaign(campaign.id()).orElseThrow();
        if (current.state().isFinal()) {
            finished(current);
            return;
        }
        CampaignProgress progress = campaigns.progress(campaign.id());
        String abortReason = abortReason(current.policy(), progress);
        if (abortReason != null) {
            abortNow(current, abortReason);
            return;
        }
        if (current.state() == CampaignState.RUNNING) {
            startDevices(current, image, progress);
        }
    }

    /** Whether a device under way needs a look without having reported anything: a poll or a timeout is due. */
    private boolean due(Campaign campaign, CampaignDevice device, Instant now) {
        Instant last = device.polledAt() != null ? device.polledAt() : device.stepAt();
        return last == null || !now.isBefore(last.plus(pollInterval))
                || device.attemptAt() != null && !now.isBefore(device.attemptAt().plus(campaign.policy().deviceTimeout()));
    }

    private void startDevices(Campaign campaign, FirmwareImage image, CampaignProgress progress) {
        CampaignPolicy policy = campaign.policy();
        int slots = policy.concurrency() - progress.active();
        if (policy.ratePerMinute() > 0) {
            int startedLastMinute = campaigns.startedSince(campaign.id(), clock.instant().minus(Duration.ofMinutes(1)));
            slots = Math.min(slots, policy.ratePerMinute() - startedLastMinute);
        }
        if (slots <= 0 || progress.pending() == 0) {
            return;
        }
        List<CampaignDevice> unfinished = campaigns.devicesIn(campaign.id(), UNFINISHED, 1);
        int batch = unfinished.isEmpty() ? 0 : unfinished.get(0).position() / policy.batchSize();
        for (CampaignDevice device : campaigns.devicesIn(campaign.id(), EnumSet.of(DeviceUpdateState.PENDING), slots)) {
            if (device.position() / policy.batchSize() != batch) {
                break;
            }
            watched.add(device.endpoint());
            try {
                steps.start(campaign, image, device);
            } catch (RuntimeException e) {
                LOG.warn("{}: could not start its firmware update: {}", device.endpoint(), e.toString());
            }
        }
    }

    /**
     * Why the campaign must stop, or {@code null}: more than the threshold's share of the devices that finished
     * failed, once a batch's worth (or as many as run at once, if fewer) finished.
     */
    static String abortReason(CampaignPolicy policy, CampaignProgress progress) {
        int finished = progress.finished();
        int sample = Math.min(Math.min(policy.batchSize(), policy.concurrency()), progress.total());
        if (progress.failed() == 0 || finished < sample || progress.allDone()) {
            return null;
        }
        double share = (double) progress.failed() / finished;
        if (share <= policy.failureThreshold()) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%d of %d devices that finished failed (%.0f%%), more than the "
                + "threshold of %.0f%%", progress.failed(), finished, share * 100, policy.failureThreshold() * 100);
    }

    private Campaign abortNow(Campaign campaign, String reason) {
        List<CampaignDevice> unfinished = campaigns.devicesIn(campaign.id(), UNFINISHED, Integer.MAX_VALUE);
        Campaign aborted = world.inFeedTransaction(feed -> {
            Campaign stopped = campaigns.setState(feed, campaign.id(), CampaignState.ABORTED, reason);
            for (CampaignDevice device : unfinished) {
                steps.cancel(feed, stopped, device, "campaign aborted: " + reason);
            }
            return stopped;
        });
        unfinished.forEach(device -> access.revoke(device.endpoint()));
        unfinished.stream().filter(device -> device.state() == DeviceUpdateState.TRANSFERRING)
                .forEach(device -> steps.wake(device.endpoint()));
        LOG.warn("firmware campaign {} ({}) aborted: {}; {} devices not updated were left alone", campaign.id(),
                campaign.name(), reason, unfinished.size());
        finished(aborted);
        return aborted;
    }

    private void finished(Campaign campaign) {
        LOG.info("firmware campaign {} ({}) {}{}", campaign.id(), campaign.name(), campaign.state().label(),
                campaign.reason() == null ? "" : ": " + campaign.reason());
        for (CampaignDevice device : campaigns.devices(campaign.id(), null, 0, MAX_ACTIVE_READ)) {
            watched.remove(device.endpoint());
            access.revoke(device.endpoint());
        }
    }

    private FirmwareImage image(long imageId) {
        return imageCache.computeIfAbsent(imageId, id -> images.image(id)
                .orElseThrow(() -> new IllegalStateException("firmware image " + id + " is gone")));
    }
}
