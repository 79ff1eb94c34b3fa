package org.orbis.server.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.orbis.world.firmware.CampaignPolicy;
import org.orbis.world.firmware.CampaignProgress;
import org.orbis.world.firmware.Delivery;

/** The campaign rules that need no device: when to abort, which delivery a device gets, what a header says. */
class RolloutRulesTest {

    private static final CampaignPolicy CANARY_OF_FOUR = new CampaignPolicy(4, 4, 0, 0.5, 3, Duration.ofSeconds(30),
            Duration.ofHours(1));

    @Test
    void aCampaignAbortsOnlyOnceABatchsWorthFinishedAndMoreThanTheThresholdFailed() {
        assertThat(CampaignRunner.abortReason(CANARY_OF_FOUR, progress(20, 3, 0, 3))).as("3 finished, all failed")
                .isNull();
        assertThat(CampaignRunner.abortReason(CANARY_OF_FOUR, progress(20, 4, 2, 2))).as("half failed: not more")
                .isNull();
        assertThat(CampaignRunner.abortReason(CANARY_OF_FOUR, progress(20, 4, 1, 3)))
                .isEqualTo("3 of 4 devices that finished failed (75%), more than the threshold of 50%");
    }

    @Test
    void aCampaignWhoseDevicesAllFinishedEndsInsteadOfAborting() {
        assertThat(CampaignRunner.abortReason(CANARY_OF_FOUR, new CampaignProgress(4, 0, 0, 0, 0, 0, 4, 0))).isNull();
    }

    @Test
    void autoDeliveryPullsUnlessTheDeviceTakesPushOnly() {
        assertThat(DeviceSteps.delivery(Delivery.AUTO, null)).isEqualTo(Delivery.PULL);
        assertThat(DeviceSteps.delivery(Delivery.AUTO, 2)).isEqualTo(Delivery.PULL);
        assertThat(DeviceSteps.delivery(Delivery.AUTO, 1)).isEqualTo(Delivery.PUSH);
        assertThat(DeviceSteps.delivery(Delivery.PULL, 1)).as("the device cannot pull").isNull();
        assertThat(DeviceSteps.delivery(Delivery.PUSH, 0)).as("the device cannot be pushed to").isNull();
    }

    @Test
    void onlyFailuresRetryingCannotFixFailADeviceAtOnce() {
        assertThat(UpdateResult.of(5).retryable()).as("integrity failure").isFalse();
        assertThat(UpdateResult.of(2).retryable()).as("no room").isFalse();
        assertThat(UpdateResult.of(4).retryable()).as("connection lost").isTrue();
        assertThat(UpdateResult.of(8).retryable()).as("install failed").isTrue();
        assertThat(UpdateResult.of(1).isFailure()).isFalse();
    }

    @Test
    void anOrbisPackageHeaderNamesModelAndVersionAndAnythingElseHasNone() {
        byte[] header = "OFW1\nmodel: orbis-reference\nversion: 2.0.0\npayload-size: 3\n\nabc"
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(PackageHeader.read(header)).hasValue(new PackageHeader("orbis-reference", "2.0.0"));
        assertThat(PackageHeader.read("\u007fELF....".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    private static CampaignProgress progress(int total, int finished, int succeeded, int failed) {
        return new CampaignProgress(total, total - finished, 0, 0, 0, succeeded, failed, 0);
    }
}
