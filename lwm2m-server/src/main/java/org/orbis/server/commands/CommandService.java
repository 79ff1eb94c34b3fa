package org.orbis.server.commands;

import java.time.Duration;
import java.util.List;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.orbis.server.operations.DeviceOperations;
import org.orbis.world.commands.Command;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.commands.CommandStore;
import org.orbis.world.commands.DesiredStore;
import org.orbis.world.commands.DesiredValue;
import org.orbis.world.commands.NewCommand;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;

/**
 * Queues commands and desired values after checking them against the device's object model (its registration's
 * versions, or the newest known ones while it is not registered), then nudges the dispatcher. Thread-safe.
 */
public final class CommandService {

    /** Desired values are delivered before ordinary commands queued earlier. */
    public static final int DESIRED_PRIORITY = 10;

    private final CommandStore commands;
    private final DesiredStore desired;
    private final DeviceOperations operations;
    private final CommandDispatcher dispatcher;

    public CommandService(CommandStore commands, DesiredStore desired, DeviceOperations operations,
            CommandDispatcher dispatcher) {
        this.commands = commands;
        this.desired = desired;
        this.operations = operations;
        this.dispatcher = dispatcher;
    }

    /**
     * Validates and queues a command.
     *
     * @throws org.orbis.server.operations.OperationException if it can never succeed (bad path, type, operation)
     * @throws IllegalArgumentException if the device is unknown or a setting is out of range
     */
    public Command queue(CommandRequest request) {
        LwM2mModel model = operations.modelOf(request.endpoint());
        operations.validate(model, request.kind().name(), request.path(), request.value(), request.arguments(),
                request.resources());
        CommandPayload payload = new CommandPayload(request.value(), request.arguments(), request.resources());
        Command command = commands.enqueue(new NewCommand(request.endpoint(), request.kind(), request.path(),
                payload.toJson(), request.priority(), null, "api", request.ttlOrDefault(), request.maxAttemptsOrDefault()));
        dispatcher.wake(request.endpoint());
        return command;
    }

    /** Queues a command the platform built itself (view copies, firmware steps): no model check, then a nudge. */
    public Command queue(NewCommand command) {
        Command queued = commands.enqueue(command);
        dispatcher.wake(command.endpoint());
        return queued;
    }

    /** Records the desired value of a writable resource and queues its delivery unless the device already has it. */
    public DesiredValue setDesired(String endpoint, String path, Object value, Duration ttl) {
        LwM2mModel model = operations.modelOf(endpoint);
        TypedValue typed = operations.typedValue(model, path, value);
        ResourcePath resource = ResourcePath.parse(path);
        NewCommand write = new NewCommand(endpoint, CommandKind.WRITE, resource.toString(),
                new CommandPayload(value, null, null).toJson(), DESIRED_PRIORITY,
                DesiredStore.coalesceKey(endpoint, resource), "desired", ttl == null ? NewCommand.DEFAULT_TTL : ttl,
                NewCommand.DEFAULT_MAX_ATTEMPTS);
        DesiredValue result = desired.set(endpoint, resource, typed, write);
        dispatcher.wake(endpoint);
        return result;
    }

    public boolean clearDesired(String endpoint, String path) {
        return desired.clear(endpoint, ResourcePath.parse(path));
    }

    public Command cancel(long id) {
        return commands.cancel(id);
    }
}
