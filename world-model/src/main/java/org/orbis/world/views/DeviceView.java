package org.orbis.world.views;

import java.time.Duration;
import java.time.Instant;

/**
 * A view given to a device: the device holds the view's entries in World View instance {@code instanceId}.
 *
 * @param pendingSequence the newest change the device's copy should reflect
 * @param deliveredSequence the newest change a copy the device acknowledged reflects (-1: none, or the device may have
 *     lost it)
 * @param lastSentAt when the last acknowledged copy was sent (the minimum interval counts from there)
 * @param ownedView whether the view was defined for this device alone (and goes when the assignment goes)
 */
public record DeviceView(String endpoint, String viewName, int instanceId, Duration minInterval, long pendingSequence,
        long deliveredSequence, Instant lastSentAt, boolean ownedView) {

    public boolean isBehind() {
        return pendingSequence > deliveredSequence;
    }
}
