package org.orbis.server.operations;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.model.ResourceModel;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.request.DownlinkRequest;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.request.exception.ClientSleepingException;
import org.eclipse.leshan.core.request.exception.TimeoutException;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.server.californium.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.orbis.server.ingest.NodeValues;
import org.orbis.server.operations.OperationResult.Outcome;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.store.WorldWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read, write and execute on registered devices. Requests are validated against the device's object model before
 * anything is sent, then sent asynchronously: callers get a future and no thread waits for the device. Values read or
 * written successfully are queued for the world model.
 */
public final class DeviceOperations {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceOperations.class);

    private final LeshanServer server;
    private final WorldWriter writer;
    private final Clock clock;
    private final long timeoutMs;

    public DeviceOperations(LeshanServer server, WorldWriter writer, Clock clock, Duration timeout) {
        this.server = server;
        this.writer = writer;
        this.clock = clock;
        this.timeoutMs = timeout.toMillis();
    }

    public CompletableFuture<OperationResult> read(String endpoint, String path) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        return send(registration, target, new ReadRequest(ContentFormat.TLV, target, null), response -> {
            ReadResponse read = (ReadResponse) response;
            List<ReportedValue> values = read.getContent() == null ? List.of()
                    : NodeValues.flatten(endpoint, target, read.getContent(), null, clock.instant());
            values.forEach(writer::submit);
            return values;
        });
    }

    /** Writes one resource; {@code value} is a JSON scalar converted to the resource's type. */
    public CompletableFuture<OperationResult> write(String endpoint, String path, Object value) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        ResourceModel model = resourceModel(registration, target, "write", candidate -> candidate.operations.isWritable());
        Object converted = WriteValues.convert(model, value);
        LwM2mSingleResource node = LwM2mSingleResource.newResource(target.getResourceId(), converted, model.type);
        WriteRequest request = new WriteRequest(WriteRequest.Mode.REPLACE, ContentFormat.TLV, target, node, null);
        return send(registration, target, request, response -> {
            List<ReportedValue> values = NodeValues.flatten(endpoint, target, node, null, clock.instant());
            values.forEach(writer::submit);
            return values;
        });
    }

    /** Executes a resource with optional arguments (LwM2M 1.1 argument list, e.g. {@code 0='v1',1}). */
    public CompletableFuture<OperationResult> execute(String endpoint, String path, String arguments) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        resourceModel(registration, target, "execute", model -> model.operations.isExecutable());
        ExecuteRequest request;
        try {
            request = new ExecuteRequest(target.toString(), arguments == null || arguments.isEmpty() ? null : arguments);
        } catch (RuntimeException e) {
            throw invalid("invalid execute arguments '" + arguments + "': " + e.getMessage());
        }
        return send(registration, target, request, response -> List.of());
    }

    private <T extends LwM2mResponse> CompletableFuture<OperationResult> send(Registration registration, LwM2mPath path,
            DownlinkRequest<T> request, ValueExtractor onSuccess) {
        String endpoint = registration.getEndpoint();
        CompletableFuture<OperationResult> result = new CompletableFuture<>();
        try {
            server.send(registration, request, timeoutMs, response -> {
                if (response.isSuccess()) {
                    try {
                        result.complete(new OperationResult(endpoint, path.toString(), Outcome.SUCCESS,
                                response.getCode().getName(), null, onSuccess.values(response)));
                    } catch (RuntimeException e) {
                        result.complete(failed(endpoint, path, e));
                    }
                } else {
                    result.complete(new OperationResult(endpoint, path.toString(), Outcome.DEVICE_ERROR,
                            response.getCode().getName(), response.getErrorMessage(), List.of()));
                }
            }, error -> result.complete(failed(endpoint, path, error)));
        } catch (RuntimeException e) {
            result.complete(failed(endpoint, path, e));
        }
        return result;
    }

    private OperationResult failed(String endpoint, LwM2mPath path, Exception error) {
        Outcome outcome = error instanceof TimeoutException ? Outcome.TIMEOUT
                : error instanceof ClientSleepingException ? Outcome.SLEEPING : Outcome.FAILED;
        if (outcome == Outcome.FAILED) {
            LOG.warn("{}: operation on {} failed: {}", endpoint, path, error.toString());
        }
        String message = switch (outcome) {
            case TIMEOUT -> "the device did not answer within " + timeoutMs + " ms";
            case SLEEPING -> "the device is sleeping (queue mode); try again when it is awake";
            default -> error.getMessage() == null ? error.toString() : error.getMessage();
        };
        return new OperationResult(endpoint, path.toString(), outcome, null, message, List.of());
    }

    private Registration registration(String endpoint) {
        Registration registration = server.getRegistrationService().getByEndpoint(endpoint);
        if (registration == null) {
            throw new OperationException(OperationException.Reason.NOT_REGISTERED,
                    "device '" + endpoint + "' is not registered now");
        }
        return registration;
    }

    /** The model of the resource at {@code path}, which must allow {@code operation}. */
    private ResourceModel resourceModel(Registration registration, LwM2mPath path, String operation,
            Predicate<ResourceModel> allows) {
        if (!path.isResource()) {
            throw invalid(operation + " needs a resource path like /3311/0/5850, not " + path);
        }
        LwM2mModel model = server.getModelProvider().getObjectModel(registration);
        ResourceModel resource = model == null ? null : model.getResourceModel(path.getObjectId(), path.getResourceId());
        if (resource == null) {
            throw invalid("resource " + path + " is not in the object model of device '" + registration.getEndpoint() + "'");
        }
        if (!allows.test(resource)) {
            throw invalid("resource " + path + " (" + resource.name + ") does not allow " + operation);
        }
        return resource;
    }

    private static LwM2mPath parse(String path) {
        try {
            LwM2mPath parsed = new LwM2mPath(path);
            if (parsed.isRoot()) {
                throw invalid("operations need an object, instance or resource path, not /");
            }
            return parsed;
        } catch (OperationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid("'" + path + "' is not an LwM2M path like /3/0/1: " + e.getMessage());
        }
    }

    private static OperationException invalid(String message) {
        return new OperationException(OperationException.Reason.INVALID_REQUEST, message);
    }

    @FunctionalInterface
    private interface ValueExtractor {
        List<ReportedValue> values(LwM2mResponse response);
    }
}
