package org.orbis.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sleep/awake cycle of a device in LwM2M queue mode: it wakes to send each registration or update and stays awake
 * for the awake window from then, then sleeps: it neither answers nor notices the server's requests (they are dropped on
 * arrival, as a radio that is off would). Its sensors sample once at each wake-up, so notifications leave right after
 * the update that wakes it, as with real sleepy devices. Leshan's registration engine wakes it again with an update
 * every communication period ({@code awake + sleep}). A request from the server while awake keeps the device awake for
 * another awake window (its radio is busy), and so does a firmware update in progress ({@code keepAwake}).
 */
final class SleepCycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceClient.class);

    private final String endpoint;
    private final Duration awake;
    private final ScheduledExecutorService scheduler;
    private final Runnable sample;
    private final BooleanSupplier keepAwake;
    private volatile boolean asleep;
    private ScheduledFuture<?> fallAsleep;

    /**
     * @param sample runs at each wake-up (the sensors take a new reading)
     * @param keepAwake while true, the device does not fall asleep
     */
    SleepCycle(String endpoint, Duration awake, ScheduledExecutorService scheduler, Runnable sample,
            BooleanSupplier keepAwake) {
        this.endpoint = endpoint;
        this.awake = awake;
        this.scheduler = scheduler;
        this.sample = sample;
        this.keepAwake = keepAwake;
    }

    boolean isAsleep() {
        return asleep;
    }

    /** The device is about to talk to its server: it is awake for the next awake window. */
    synchronized void wokeUp() {
        if (asleep) {
            LOG.info("{} woke up", endpoint);
        }
        asleep = false;
        if (fallAsleep != null) {
            fallAsleep.cancel(false);
        }
        fallAsleep = scheduler.schedule(this::sleep, awake.toNanos(), TimeUnit.NANOSECONDS);
        scheduler.execute(sample);
    }

    /**
     * A request arrived from the server: dropped while asleep, else answered, and the device stays awake for another
     * awake window.
     */
    synchronized boolean admit() {
        if (asleep) {
            return false;
        }
        if (fallAsleep != null) {
            fallAsleep.cancel(false);
            fallAsleep = scheduler.schedule(this::sleep, awake.toNanos(), TimeUnit.NANOSECONDS);
        }
        return true;
    }

    synchronized void stop() {
        if (fallAsleep != null) {
            fallAsleep.cancel(false);
        }
        asleep = false;
    }

    private synchronized void sleep() {
        if (keepAwake.getAsBoolean()) {
            fallAsleep = scheduler.schedule(this::sleep, awake.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        asleep = true;
        LOG.info("{} fell asleep", endpoint);
    }
}
