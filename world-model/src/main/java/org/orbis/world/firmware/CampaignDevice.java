package org.orbis.world.firmware;

import java.time.Instant;

/**
 * One device of a campaign and where its update stands.
 *
 * @param position its place in the rollout (batch = position / batch size)
 * @param delivery how its package travels in the current attempt, {@code null} before the first
 * @param fromVersion the firmware version it reported when its first attempt started
 * @param baselineSeq the change-feed sequence at which the current step began: values it reported after it count
 * @param stepCommandId the queued command of the current step (the package transfer, or Update)
 * @param pollCommandId the last state read queued for it, or {@code null}
 * @param stepAt when the current step began
 * @param polledAt when its state was last read, or {@code null}
 * @param notBefore when a waiting retry may start
 * @param attemptAt when the current attempt started
 * @param resultCode the last Update Result (/5/0/5) it reported for this campaign, or {@code null}
 * @param detail what happened last, for people
 */
public record CampaignDevice(long campaignId, String endpoint, int position, DeviceUpdateState state, Delivery delivery,
        int attempts, String fromVersion, Long baselineSeq, Long stepCommandId, Long pollCommandId, Instant stepAt,
        Instant polledAt, Instant notBefore, Instant startedAt, Instant attemptAt, Instant finishedAt, Integer resultCode,
        String detail, Instant updatedAt) {

    public Edit edit() {
        return new Edit(this);
    }

    /** A copy with some fields changed. */
    public static final class Edit {
        private final CampaignDevice base;
        private DeviceUpdateState state;
        private Delivery delivery;
        private int attempts;
        private String fromVersion;
        private Long stepCommandId;
        private Long pollCommandId;
        private Instant stepAt;
        private Instant polledAt;
        private Instant notBefore;
        private Instant startedAt;
        private Instant attemptAt;
        private Instant finishedAt;
        private Integer resultCode;
        private String detail;

        private Edit(CampaignDevice base) {
            this.base = base;
            state = base.state;
            delivery = base.delivery;
            attempts = base.attempts;
            fromVersion = base.fromVersion;
            stepCommandId = base.stepCommandId;
            pollCommandId = base.pollCommandId;
            stepAt = base.stepAt;
            polledAt = base.polledAt;
            notBefore = base.notBefore;
            startedAt = base.startedAt;
            attemptAt = base.attemptAt;
            finishedAt = base.finishedAt;
            resultCode = base.resultCode;
            detail = base.detail;
        }

        public Edit state(DeviceUpdateState value) {
            state = value;
            return this;
        }

        public Edit delivery(Delivery value) {
            delivery = value;
            return this;
        }

        public Edit attempts(int value) {
            attempts = value;
            return this;
        }

        public Edit fromVersion(String value) {
            fromVersion = value;
            return this;
        }

        public Edit stepCommandId(Long value) {
            stepCommandId = value;
            return this;
        }

        public Edit pollCommandId(Long value) {
            pollCommandId = value;
            return this;
        }

        public Edit stepAt(Instant value) {
            stepAt = value;
            return this;
        }

        public Edit polledAt(Instant value) {
            polledAt = value;
            return this;
        }

        public Edit notBefore(Instant value) {
            notBefore = value;
            return this;
        }

        public Edit startedAt(Instant value) {
            startedAt = value;
            return this;
        }

        public Edit attemptAt(Instant value) {
            attemptAt = value;
            return this;
        }

        public Edit finishedAt(Instant value) {
            finishedAt = value;
            return this;
        }

        public Edit resultCode(Integer value) {
            resultCode = value;
            return this;
        }

        public Edit detail(String value) {
            detail = value == null || value.length() <= 1000 ? value : value.substring(0, 997) + "...";
            return this;
        }

        /** The edited device; baseline and update time are set when it is stored. */
        public CampaignDevice done() {
            return new CampaignDevice(base.campaignId, base.endpoint, base.position, state, delivery, attempts,
                    fromVersion, base.baselineSeq, stepCommandId, pollCommandId, stepAt, polledAt, notBefore, startedAt,
                    attemptAt, finishedAt, resultCode, detail, base.updatedAt);
        }
    }
}
