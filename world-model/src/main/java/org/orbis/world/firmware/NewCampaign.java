package org.orbis.world.firmware;

import java.util.Objects;

/**
 * A campaign to create.
 *
 * @param target the query that selected its devices, as JSON, kept for the record
 */
public record NewCampaign(String name, long imageId, Delivery delivery, String target, CampaignPolicy policy) {

    public NewCampaign {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new IllegalArgumentException("campaign name must be 1 to 128 characters");
        }
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(policy, "policy");
        if (target.length() > 8000) {
            throw new IllegalArgumentException("the target description is longer than 8000 characters");
        }
    }
}
