package org.orbis.world.firmware;

import java.time.Instant;

/**
 * A firmware campaign.
 *
 * @param target the query that selected its devices, as JSON
 * @param reason why it is in its state (e.g. what made it abort), or {@code null}
 */
public record Campaign(long id, String name, long imageId, Delivery delivery, CampaignState state, String target,
        CampaignPolicy policy, String reason, Instant createdAt, Instant updatedAt, Instant finishedAt) {
}
