package org.orbis.world.firmware;

import java.util.Map;

/** How many of a campaign's devices are in each state. */
public record CampaignProgress(int total, int pending, int transferring, int updating, int waitingRetry, int succeeded,
        int failed, int cancelled) {

    static CampaignProgress of(Map<DeviceUpdateState, Integer> counts) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return new CampaignProgress(total, counts.getOrDefault(DeviceUpdateState.PENDING, 0),
                counts.getOrDefault(DeviceUpdateState.TRANSFERRING, 0),
                counts.getOrDefault(DeviceUpdateState.UPDATING, 0),
                counts.getOrDefault(DeviceUpdateState.WAITING_RETRY, 0),
                counts.getOrDefault(DeviceUpdateState.SUCCEEDED, 0), counts.getOrDefault(DeviceUpdateState.FAILED, 0),
                counts.getOrDefault(DeviceUpdateState.CANCELLED, 0));
    }

    /** Devices holding a concurrency slot. */
    public int active() {
        return transferring + updating + waitingRetry;
    }

    /** Devices that succeeded or failed. */
    public int finished() {
        return succeeded + failed;
    }

    public boolean allDone() {
        return pending == 0 && active() == 0;
    }

    String json() {
        return "{\"total\":" + total + ",\"pending\":" + pending + ",\"transferring\":" + transferring + ",\"updating\":"
                + updating + ",\"waitingRetry\":" + waitingRetry + ",\"succeeded\":" + succeeded + ",\"failed\":"
                + failed + ",\"cancelled\":" + cancelled + "}";
    }
}
