package org.orbis.world.credentials;

import java.time.Instant;

/** One line of the security audit log: what was done to a device's credentials, never the secret itself. */
public record AuditEntry(long id, Instant occurredAt, String endpoint, String action, String detail) {

    public static final String PROVISIONED = "provisioned";
    public static final String ROTATED = "rotated";
    public static final String REVOKED = "revoked";
}
