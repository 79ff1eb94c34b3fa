package org.orbis.server.commands;

import java.time.Duration;
import java.util.Map;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.commands.NewCommand;

/**
 * An operator's request to queue a command.
 *
 * @param value for {@code WRITE}: a JSON scalar converted to the resource's type
 * @param arguments for {@code EXECUTE}
 * @param resources for {@code CREATE}: resource id → JSON scalar
 * @param ttl how long it may wait for the device; {@code null} for the default (one day)
 * @param maxAttempts {@code null} for the default (3)
 */
public record CommandRequest(String endpoint, CommandKind kind, String path, Object value, String arguments,
        Map<Integer, Object> resources, int priority, Duration ttl, Integer maxAttempts) {

    public Duration ttlOrDefault() {
        return ttl == null ? NewCommand.DEFAULT_TTL : ttl;
    }

    public int maxAttemptsOrDefault() {
        return maxAttempts == null ? NewCommand.DEFAULT_MAX_ATTEMPTS : maxAttempts;
    }
}
