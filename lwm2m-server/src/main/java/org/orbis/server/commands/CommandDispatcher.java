package org.orbis.server.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.leshan.core.observation.Observation;
import org.eclipse.leshan.server.queue.PresenceListener;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationListener;
import org.eclipse.leshan.server.registration.RegistrationUpdate;
import org.orbis.server.operations.DeviceOperations;
import org.orbis.server.operations.OperationException;
import org.orbis.server.operations.OperationResult;
import org.orbis.world.commands.Command;
import org.orbis.world.commands.CommandStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each device's queued commands, one at a time and in queue order, whenever the device is reachable: when it
 * registers or updates, when it wakes up in queue mode (any uplink, notifications included), when a command is
 * queued for a device that is awake, and on a periodic sweep (retries that were waiting, expiry, restarts). A sleeping
 * device is never sent anything. Device answers complete commands; no answer puts them back for a later attempt with
 * back-off, until their attempts or their time to live run out.
 *
 * <p>Leshan calls the listener methods on its threads; they only schedule work on this dispatcher's own threads
 * ({@code orbis-commands-N}), which do the database work.
 */
public final class CommandDispatcher implements RegistrationListener, PresenceListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);

    private final CommandStore commands;
    private final DeviceOperations operations;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Duration sweepInterval;
    /** Devices with a pump waiting on the executor: more nudges before it runs are the same nudge. */
    private final Set<String> pumpsWaiting = ConcurrentHashMap.newKeySet();
    /** Devices with a command sent by this dispatcher and not answered yet: the answer pumps their queue. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private volatile PackageSource packages = imageId -> {
        throw new IllegalStateException("no firmware repository to read image " + imageId + " from");
    };

    /** The bytes of a firmware image, for writes of a firmware package (their payload names the image). */
    @FunctionalInterface
    public interface PackageSource {
        byte[] bytes(long imageId);
    }

    public CommandDispatcher(CommandStore commands, DeviceOperations operations, Clock clock, Duration sweepInterval) {
        this.commands = commands;
        this.operations = operations;
        this.clock = clock;
        this.sweepInterval = sweepInterval;
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "orbis-commands-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    /** Where writes of firmware packages get their bytes. */
    public void packageSource(PackageSource source) {
        this.packages = source;
    }

    /** Puts commands left in flight by a previous run back in the queue and starts the periodic sweep. */
    public void start() {
        int requeued = commands.requeueInFlight();
        if (requeued > 0) {
            LOG.info("{} commands that were in flight when the server stopped are queued again", requeued);
        }
        long period = sweepInterval.toMillis();
        executor.scheduleWithFixedDelay(this::sweep, 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks for the device's queue to be looked at soon; returns at once. Nudges for a device whose previous command is
     * still unanswered, or whose queue is already about to be looked at, cost nothing: view delivery nudges every
     * device of a view at each change, far more often than a device can take commands.
     */
    public void wake(String endpoint) {
        if (inFlight.contains(endpoint) || !pumpsWaiting.add(endpoint)) {
            return;
        }
        executor.execute(() -> {
            pumpsWaiting.remove(endpoint);
            pump(endpoint);
        });
    }

    @Override
    public void registered(Registration registration, Registration previous, Collection<Observation> observations) {
        wake(registration.getEndpoint());
    }

    @Override
    public void updated(RegistrationUpdate update, Registration updated, Registration previous) {
        wake(updated.getEndpoint());
    }

    @Override
    public void unregistered(Registration registration, Collection<Observation> observations, boolean expired,
            Registration replacement) {
        // nothing to do: the commands wait in the queue for the next registration
    }

    @Override
    public void onAwake(Registration registration) {
        wake(registration.getEndpoint());
    }

    @Override
    public void onSleeping(Registration registration) {
        // nothing is sent to a sleeping device; pump() checks presence before each command
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void sweep() {
        try {
            int expired = commands.expireDue();
            if (expired > 0) {
                LOG.info("{} queued commands expired before their devices could be reached", expired);
            }
            commands.endpointsWithQueued().stream().filter(endpoint -> !inFlight.contains(endpoint)).forEach(this::pump);
        } catch (RuntimeException e) {
            LOG.warn("command sweep failed: {}", e.toString());
        }
    }

    private void pump(String endpoint) {
        try {
            if (!operations.isReachable(endpoint)) {
                LOG.trace("{}: not reachable now", endpoint);
                return;
            }
            Optional<Command> next = commands.claimNext(endpoint);
            next.ifPresent(command -> {
                inFlight.add(endpoint);
                deliver(command).whenCompleteAsync((result, error) -> {
                    try {
                        record(command, result, error);
                    } finally {
                        inFlight.remove(endpoint);
                    }
                    pump(endpoint);
                }, executor);
            });
        } catch (RuntimeException e) {
            LOG.warn("{}: command delivery failed: {}", endpoint, e.toString());
        }
    }

    private CompletableFuture<OperationResult> deliver(Command command) {
        CommandPayload payload = CommandPayload.fromJson(command.payload());
        String endpoint = command.endpoint();
        String path = command.path();
        LOG.debug("{}: sending command {} ({} {}, attempt {})", endpoint, command.id(), command.kind(), path,
                command.attempts());
        try {
            return switch (command.kind()) {
                case READ -> operations.read(endpoint, path);
                case WRITE -> payload.image() != null
                        ? operations.writeOpaque(endpoint, path, packages.bytes(payload.image()))
                        : operations.write(endpoint, path, payload.value());
                case EXECUTE -> operations.execute(endpoint, path, payload.arguments());
                case CREATE -> operations.create(endpoint, path, payload.resources());
                case DELETE -> operations.delete(endpoint, path);
                case OBSERVE -> operations.observe(endpoint, path);
                case CANCEL_OBSERVE -> operations.cancelObserve(endpoint, path);
                case WRITE_INSTANCE -> operations.writeInstance(endpoint, path, payload.resources());
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void record(Command command, OperationResult result, Throwable error) {
        LOG.debug("{}: command {} ended: {}", command.endpoint(), command.id(),
                error != null ? error.toString() : result.outcome() + " " + result.code() + " " + result.message());
        try {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof OperationException invalid
                        && invalid.reason() == OperationException.Reason.INVALID_REQUEST) {
                    commands.complete(command.id(), false, "BAD_REQUEST", detail(invalid.getMessage()));
                } else {
                    commands.retry(command.id(), "NOT_DELIVERED", clock.instant().plus(backoff(command)));
                }
                return;
            }
            switch (result.outcome()) {
                case SUCCESS -> commands.complete(command.id(), true, result.code(), answer(result));
                case DEVICE_ERROR -> commands.complete(command.id(), false, result.code(), detail(result.message()));
                case SLEEPING -> commands.release(command.id(), "SLEEPING");
                case TIMEOUT, FAILED -> commands.retry(command.id(), result.outcome().name(),
                        clock.instant().plus(backoff(command)));
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: could not record the outcome of command {}: {}", command.endpoint(), command.id(), e.toString());
        }
    }

    private static Duration backoff(Command command) {
        return FIRST_BACKOFF.multipliedBy(1L << Math.min(10, Math.max(0, command.attempts() - 1)));
    }

    private static String answer(OperationResult result) {
        Map<String, Object> values = new LinkedHashMap<>();
        result.values().forEach(value -> values.put(value.path().toString(), value.value().json()));
        Map<String, Object> body = new LinkedHashMap<>();
        if (!values.isEmpty()) {
            body.put("values", values);
        }
        if (result.message() != null) {
            body.put("detail", result.message());
        }
        return body.isEmpty() ? null : write(body);
    }

    private static String detail(String message) {
        return write(Map.of("detail", message == null ? "" : message));
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
