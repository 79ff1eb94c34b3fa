package org.orbis.server.operations;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.eclipse.leshan.core.attributes.AssignationLevel;
import org.eclipse.leshan.core.attributes.Attribute;
import org.eclipse.leshan.core.attributes.AttributeSet;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.model.ResourceModel;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.request.CreateRequest;
import org.eclipse.leshan.core.request.DeleteRequest;
import org.eclipse.leshan.core.request.DiscoverRequest;
import org.eclipse.leshan.core.request.WriteAttributesRequest;
import org.eclipse.leshan.core.request.DownlinkRequest;
import org.eclipse.leshan.core.request.ExecuteRequest;
import org.eclipse.leshan.core.request.ObserveRequest;
import org.eclipse.leshan.core.request.ReadRequest;
import org.eclipse.leshan.core.request.WriteRequest;
import org.eclipse.leshan.core.request.exception.ClientSleepingException;
import org.eclipse.leshan.core.request.exception.TimeoutException;
import org.eclipse.leshan.core.response.DiscoverResponse;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.server.californium.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.orbis.server.ingest.NodeValues;
import org.orbis.server.operations.OperationResult.Outcome;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.WorldUpdate.ReportedValue;
import org.orbis.world.store.WorldWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations on registered devices: read, write, execute, create, delete, observe, cancel-observe, discover and
 * write-attributes. Requests are
 * validated against the device's object model before anything is sent, then sent asynchronously: callers get a future
 * and no thread waits for the device. Values read or written successfully are queued for the world model.
 */
public final class DeviceOperations {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceOperations.class);

    private final LeshanServer server;
    private final WorldWriter writer;
    private final Clock clock;
    private final long timeoutMs;
    private final LwM2mModel fallbackModel;

    /** @param fallbackModel the models used to validate requests for devices that are not registered now */
    public DeviceOperations(LeshanServer server, WorldWriter writer, Clock clock, Duration timeout,
            LwM2mModel fallbackModel) {
        this.server = server;
        this.writer = writer;
        this.clock = clock;
        this.timeoutMs = timeout.toMillis();
        this.fallbackModel = fallbackModel;
    }

    /** The object model of a device: its registration's versions when registered, the newest known otherwise. */
    public LwM2mModel modelOf(String endpoint) {
        Registration registration = server.getRegistrationService().getByEndpoint(endpoint);
        LwM2mModel model = registration == null ? null : server.getModelProvider().getObjectModel(registration);
        return model == null ? fallbackModel : model;
    }

    /** Whether a request may be sent to the device now: registered, and awake if it uses queue mode. */
    public boolean isReachable(String endpoint) {
        Registration registration = server.getRegistrationService().getByEndpoint(endpoint);
        return registration != null
                && (!registration.usesQueueMode() || server.getPresenceService().isClientAwake(registration));
    }

    public CompletableFuture<OperationResult> read(String endpoint, String path) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        return send(registration, target, new ReadRequest(ContentFormat.TLV, target, null),
                response -> ingest(endpoint, target, ((ReadResponse) response).getContent()));
    }

    /** Writes one resource; {@code value} is a JSON scalar converted to the resource's type. */
    public CompletableFuture<OperationResult> write(String endpoint, String path, Object value) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        LwM2mSingleResource node = resourceNode(modelOf(endpoint), target, value);
        WriteRequest request = new WriteRequest(WriteRequest.Mode.REPLACE, ContentFormat.TLV, target, node, null);
        return send(registration, target, request, response -> ingest(endpoint, target, node));
    }

    /**
     * Writes an opaque resource (a firmware package into {@code /5/0/0}) block-wise, with a timeout that grows with its
     * size. The bytes are not recorded in the world model: the resource is write-only.
     */
    public CompletableFuture<OperationResult> writeOpaque(String endpoint, String path, byte[] bytes) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        resourceModel(modelOf(endpoint), target, "write", candidate -> candidate.operations.isWritable()
                && candidate.type == ResourceModel.Type.OPAQUE);
        WriteRequest request = new WriteRequest(WriteRequest.Mode.REPLACE, ContentFormat.OPAQUE, target,
                LwM2mSingleResource.newBinaryResource(target.getResourceId(), bytes), null);
        return send(registration, target, request, response -> List.of(), response -> List.of(),
                opaqueWriteTimeout(bytes.length));
    }

    /** The operation timeout, plus 200 ms per KiB: a block-wise transfer takes one round trip per block. */
    long opaqueWriteTimeout(int bytes) {
        return timeoutMs + 200L * ((bytes + 1023) / 1024);
    }

    /** Executes a resource with optional arguments (LwM2M 1.1 argument list, e.g. {@code 0='v1',1}). */
    public CompletableFuture<OperationResult> execute(String endpoint, String path, String arguments) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        return send(registration, target, executeRequest(modelOf(endpoint), target, arguments), response -> List.of());
    }

    /** Creates an object instance ({@code /3311} lets the device pick the id, {@code /3311/1} asks for id 1). */
    public CompletableFuture<OperationResult> create(String endpoint, String path, Map<Integer, Object> resources) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        return send(registration, target, createRequest(modelOf(endpoint), target, resources), response -> List.of());
    }

    /**
     * Replaces a whole object instance with these resources ({@code resource id → scalar}, or a list for a
     * multi-instance resource whose list index is the resource instance id), creating the instance when the device does
     * not have it yet.
     */
    public CompletableFuture<OperationResult> writeInstance(String endpoint, String path, Map<Integer, Object> resources) {
        return writeInstance(endpoint, path, resources, true);
    }

    /**
     * Replaces an object instance with these resources; if the device does not have the instance and {@code
     * createIfMissing}, creates it instead (otherwise the answer is the device's NOT_FOUND).
     */
    public CompletableFuture<OperationResult> writeInstance(String endpoint, String path, Map<Integer, Object> resources,
            boolean createIfMissing) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        List<LwM2mResource> nodes = instanceResources(modelOf(endpoint), target, resources);
        WriteRequest replace = new WriteRequest(WriteRequest.Mode.REPLACE, ContentFormat.TLV, target.getObjectId(),
                target.getObjectInstanceId(), nodes);
        return send(registration, target, replace, response -> List.of()).thenCompose(result -> {
            if (!createIfMissing || result.outcome() != Outcome.DEVICE_ERROR || !"NOT_FOUND".equals(result.code())) {
                return CompletableFuture.completedFuture(result);
            }
            CreateRequest create = new CreateRequest(ContentFormat.TLV, target.getObjectId(),
                    new LwM2mObjectInstance(target.getObjectInstanceId(), nodes));
            return send(registration(endpoint), target, create, response -> List.of());
        });
    }

    public CompletableFuture<OperationResult> delete(String endpoint, String path) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        return send(registration, target, deleteRequest(target), response -> List.of());
    }

    /** Starts observing a path; the current value in the answer goes to the world model like a notification. */
    public CompletableFuture<OperationResult> observe(String endpoint, String path) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        return send(registration, target, new ObserveRequest(ContentFormat.TLV, target.toString()),
                response -> ingest(endpoint, target, ((ReadResponse) response).getContent()));
    }

    /** Forgets the observations of a path (the device's next notification is refused, which ends it there too). */
    public CompletableFuture<OperationResult> cancelObserve(String endpoint, String path) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        int cancelled = server.getObservationService().cancelObservations(registration, target.toString());
        return CompletableFuture.completedFuture(new OperationResult(endpoint, target.toString(), Outcome.SUCCESS,
                "CANCELLED", cancelled + " observation(s) cancelled", List.of()));
    }

    /** Discovers the instances, resources and attributes under a path; the answer's links are in the result. */
    public CompletableFuture<OperationResult> discover(String endpoint, String path) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        if (target.isResourceInstance()) {
            throw invalid("discover needs an object, instance or resource path, not " + target);
        }
        return send(registration, target, new DiscoverRequest(target.toString()), response -> List.of(), response -> {
            Link[] links = ((DiscoverResponse) response).getObjectLinks();
            return links == null ? List.<String>of() : Arrays.stream(links).map(Link::toString).toList();
        });
    }

    /**
     * Sets notification attributes on a path (LwM2M names: {@code pmin}, {@code pmax} in seconds, {@code gt},
     * {@code lt}, {@code st}); a {@code null} value removes that attribute.
     */
    public CompletableFuture<OperationResult> writeAttributes(String endpoint, String path,
            Map<String, ? extends Number> attributes) {
        Registration registration = registration(endpoint);
        LwM2mPath target = parse(path);
        return send(registration, target, new WriteAttributesRequest(target.toString(), attributeSet(target, attributes)),
                response -> List.of());
    }

    /** The attribute names write-attributes accepts. */
    public static final List<String> NOTIFICATION_ATTRIBUTES = List.of(Attribute.MINIMUM_PERIOD,
            Attribute.MAXIMUM_PERIOD, Attribute.GREATER_THAN, Attribute.LESSER_THAN, Attribute.STEP);

    private static AttributeSet attributeSet(LwM2mPath target, Map<String, ? extends Number> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            throw invalid("write-attributes needs at least one of " + NOTIFICATION_ATTRIBUTES);
        }
        List<String> params = new ArrayList<>();
        for (Map.Entry<String, ? extends Number> entry : attributes.entrySet()) {
            String name = entry.getKey();
            if (!NOTIFICATION_ATTRIBUTES.contains(name)) {
                throw invalid("unknown attribute '" + name + "': use " + NOTIFICATION_ATTRIBUTES);
            }
            Number value = entry.getValue();
            if (value == null) {
                params.add(name);
            } else if (name.equals(Attribute.MINIMUM_PERIOD) || name.equals(Attribute.MAXIMUM_PERIOD)) {
                if (value.doubleValue() < 0 || value.doubleValue() != Math.rint(value.doubleValue())) {
                    throw invalid(name + " must be a whole number of seconds (0 or more), not " + value);
                }
                params.add(name + "=" + value.longValue());
            } else {
                params.add(name + "=" + value.doubleValue());
            }
        }
        try {
            AttributeSet set = AttributeSet.parse(params);
            set.validate(target.isObject() ? AssignationLevel.OBJECT : target.isObjectInstance()
                    ? AssignationLevel.INSTANCE : AssignationLevel.RESOURCE);
            return set;
        } catch (RuntimeException e) {
            throw invalid("invalid attributes " + params + " for " + target + ": " + e.getMessage());
        }
    }

    /**
     * Checks a request against a model without sending it; throws {@link OperationException} with the reason when it
     * is invalid.
     */
    public void validate(LwM2mModel model, String kind, String path, Object value, String arguments,
            Map<Integer, Object> resources) {
        LwM2mPath target = parse(path);
        switch (kind) {
            case "WRITE" -> resourceNode(model, target, value);
            case "EXECUTE" -> executeRequest(model, target, arguments);
            case "CREATE" -> createRequest(model, target, resources);
            case "DELETE" -> deleteRequest(target);
            case "WRITE_INSTANCE" -> instanceResources(model, target, resources);
            default -> {
                // read, observe and cancel-observe accept any path
            }
        }
    }

    /** The typed value a write of {@code value} to {@code path} would carry. */
    public TypedValue typedValue(LwM2mModel model, String path, Object value) {
        LwM2mSingleResource node = resourceNode(model, parse(path), value);
        return NodeValues.typed(node.getType(), node.getValue());
    }

    private LwM2mSingleResource resourceNode(LwM2mModel model, LwM2mPath target, Object value) {
        ResourceModel resource = resourceModel(model, target, "write", candidate -> candidate.operations.isWritable());
        return LwM2mSingleResource.newResource(target.getResourceId(), WriteValues.convert(resource, value),
                resource.type);
    }

    private ExecuteRequest executeRequest(LwM2mModel model, LwM2mPath target, String arguments) {
        resourceModel(model, target, "execute", candidate -> candidate.operations.isExecutable());
        try {
            return new ExecuteRequest(target.toString(), arguments == null || arguments.isEmpty() ? null : arguments);
        } catch (RuntimeException e) {
            throw invalid("invalid execute arguments '" + arguments + "': " + e.getMessage());
        }
    }

    private static CreateRequest createRequest(LwM2mModel model, LwM2mPath target, Map<Integer, Object> resources) {
        if (!target.isObject() && !target.isObjectInstance()) {
            throw invalid("create needs an object or object instance path like /3311 or /3311/1, not " + target);
        }
        List<LwM2mResource> nodes = new ArrayList<>();
        if (resources != null) {
            for (Map.Entry<Integer, Object> entry : resources.entrySet()) {
                LwM2mPath resourcePath = new LwM2mPath(target.getObjectId(), 0, entry.getKey());
                ResourceModel resource = resourceModel(model, resourcePath, "create", candidate -> true);
                nodes.add(LwM2mSingleResource.newResource(entry.getKey(), WriteValues.convert(resource, entry.getValue()),
                        resource.type));
            }
        }
        try {
            return new CreateRequest(ContentFormat.TLV, target.toString(), nodes);
        } catch (RuntimeException e) {
            throw invalid("invalid create request for " + target + ": " + e.getMessage());
        }
    }

    private static List<LwM2mResource> instanceResources(LwM2mModel model, LwM2mPath target, Map<Integer, Object> values) {
        if (!target.isObjectInstance()) {
            throw invalid("writing an instance needs an object instance path like /33100/0, not " + target);
        }
        if (values == null || values.isEmpty()) {
            throw invalid("writing an instance needs its resources");
        }
        List<LwM2mResource> nodes = new ArrayList<>();
        for (Map.Entry<Integer, Object> entry : values.entrySet()) {
            LwM2mPath resourcePath = new LwM2mPath(target.getObjectId(), target.getObjectInstanceId(), entry.getKey());
            ResourceModel resource = resourceModel(model, resourcePath, "write", candidate -> candidate.operations.isWritable());
            if (entry.getValue() instanceof List<?> list) {
                if (!resource.multiple) {
                    throw invalid("resource " + resourcePath + " (" + resource.name + ") is single-instance, not a list");
                }
                Map<Integer, Object> instances = new java.util.TreeMap<>();
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) != null) {
                        instances.put(i, WriteValues.convert(resource, list.get(i)));
                    }
                }
                nodes.add(LwM2mMultipleResource.newResource(entry.getKey(), instances, resource.type));
            } else {
                nodes.add(LwM2mSingleResource.newResource(entry.getKey(), WriteValues.convert(resource, entry.getValue()),
                        resource.type));
            }
        }
        return nodes;
    }

    private static DeleteRequest deleteRequest(LwM2mPath target) {
        if (!target.isObjectInstance()) {
            throw invalid("delete needs an object instance path like /3311/1, not " + target);
        }
        return new DeleteRequest(target.toString());
    }

    private List<ReportedValue> ingest(String endpoint, LwM2mPath target, LwM2mNode node) {
        List<ReportedValue> values = node == null ? List.of()
                : NodeValues.flatten(endpoint, target, node, null, clock.instant());
        values.forEach(writer::submit);
        return values;
    }

    private <T extends LwM2mResponse> CompletableFuture<OperationResult> send(Registration registration, LwM2mPath path,
            DownlinkRequest<T> request, ValueExtractor onSuccess) {
        return send(registration, path, request, onSuccess, response -> List.of(), timeoutMs);
    }

    private <T extends LwM2mResponse> CompletableFuture<OperationResult> send(Registration registration, LwM2mPath path,
            DownlinkRequest<T> request, ValueExtractor onSuccess, LinkExtractor links) {
        return send(registration, path, request, onSuccess, links, timeoutMs);
    }

    private <T extends LwM2mResponse> CompletableFuture<OperationResult> send(Registration registration, LwM2mPath path,
            DownlinkRequest<T> request, ValueExtractor onSuccess, LinkExtractor links, long timeout) {
        String endpoint = registration.getEndpoint();
        CompletableFuture<OperationResult> result = new CompletableFuture<>();
        try {
            server.send(registration, request, timeout, response -> {
                if (response.isSuccess()) {
                    try {
                        result.complete(new OperationResult(endpoint, path.toString(), Outcome.SUCCESS,
                                response.getCode().getName(), null, onSuccess.values(response), links.links(response)));
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
            case SLEEPING -> "the device is sleeping (queue mode); queue a command instead, it is delivered when the device wakes";
            default -> error.getMessage() == null ? error.toString() : error.getMessage();
        };
        return new OperationResult(endpoint, path.toString(), outcome, null, message, List.of());
    }

    private Registration registration(String endpoint) {
        Registration registration = server.getRegistrationService().getByEndpoint(endpoint);
        if (registration == null) {
            throw new OperationException(OperationException.Reason.NOT_REGISTERED,
                    "device '" + endpoint + "' is not registered now; queue a command instead, it is delivered when "
                            + "the device registers");
        }
        return registration;
    }

    /** The model of the resource at {@code path}, which must allow {@code operation}. */
    private static ResourceModel resourceModel(LwM2mModel model, LwM2mPath path, String operation,
            Predicate<ResourceModel> allows) {
        if (!path.isResource()) {
            throw invalid(operation + " needs a resource path like /3311/0/5850, not " + path);
        }
        ResourceModel resource = model == null ? null : model.getResourceModel(path.getObjectId(), path.getResourceId());
        if (resource == null) {
            throw invalid("resource " + path + " is not in the device's object model");
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

    @FunctionalInterface
    private interface LinkExtractor {
        List<String> links(LwM2mResponse response);
    }
}
