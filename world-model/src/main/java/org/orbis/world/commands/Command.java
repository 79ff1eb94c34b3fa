package org.orbis.world.commands;

import java.time.Instant;

/**
 * A queued (or finished) command and what became of it.
 *
 * @param notBefore when a retry may be sent, or {@code null}
 * @param responseCode the device's response code (e.g. {@code CHANGED}) or a transport outcome ({@code TIMEOUT})
 * @param response the device's answer (values read, error message) as JSON text, or {@code null}
 */
public record Command(long id, String endpoint, CommandKind kind, String path, String payload, int priority,
        String coalesceKey, String origin, CommandStatus status, int attempts, int maxAttempts, Instant createdAt,
        Instant expiresAt, Instant notBefore, Instant updatedAt, String responseCode, String response) {
}
