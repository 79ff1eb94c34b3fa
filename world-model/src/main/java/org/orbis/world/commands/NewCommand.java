package org.orbis.world.commands;

import java.time.Duration;
import java.util.Objects;
import org.orbis.world.graph.NodeKey;

/**
 * A command to queue for a device.
 *
 * @param path the LwM2M path it targets, e.g. {@code /3311/0/5850}
 * @param payload what the DM server needs to build the request (JSON written and read by the server), or
 *        {@code null}
 * @param priority higher runs first; equal priorities run in queueing order
 * @param coalesceKey a newer queued command with the same key cancels this one while it is still queued (a newer
 *        desired value supersedes an older one), or {@code null}
 * @param origin who asked: {@code api}, {@code desired}, {@code view}, {@code firmware}…
 * @param ttl how long the command may wait before it expires
 */
public record NewCommand(String endpoint, CommandKind kind, String path, String payload, int priority,
        String coalesceKey, String origin, Duration ttl, int maxAttempts) {

    public static final Duration DEFAULT_TTL = Duration.ofDays(1);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public NewCommand {
        NodeKey.requireValidEndpoint(endpoint);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a command's time to live must be positive, was " + ttl);
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("max attempts must be between 1 and 100, was " + maxAttempts);
        }
        if (priority < -100 || priority > 100) {
            throw new IllegalArgumentException("priority must be between -100 and 100, was " + priority);
        }
    }
}
