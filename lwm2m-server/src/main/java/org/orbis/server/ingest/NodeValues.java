package org.orbis.server.ingest;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.leshan.core.link.Link;
import org.eclipse.leshan.core.model.ResourceModel.Type;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObject;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.node.LwM2mResourceInstance;
import org.eclipse.leshan.core.node.ObjectLink;
import org.eclipse.leshan.core.util.datatype.ULong;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.graph.TypedValue;
import org.orbis.world.store.WorldUpdate.ReportedValue;

/** Flattens a decoded LwM2M node (object, instance, resource or resource instance) into typed resource values. */
public final class NodeValues {

    private NodeValues() {
    }

    /**
     * @param path where {@code node} sits (an object, instance, resource or resource-instance path)
     * @param deviceTime the device's timestamp for these values, or {@code null}
     */
    public static List<ReportedValue> flatten(String endpoint, LwM2mPath path, LwM2mNode node, Instant deviceTime,
            Instant receivedAt) {
        List<ReportedValue> values = new ArrayList<>();
        collect(endpoint, path, node, deviceTime, receivedAt, values);
        return values;
    }

    private static void collect(String endpoint, LwM2mPath path, LwM2mNode node, Instant deviceTime, Instant receivedAt,
            List<ReportedValue> out) {
        if (node instanceof LwM2mObject object) {
            for (LwM2mObjectInstance instance : object.getInstances().values()) {
                collect(endpoint, new LwM2mPath(object.getId(), instance.getId()), instance, deviceTime, receivedAt, out);
            }
        } else if (node instanceof LwM2mObjectInstance instance) {
            int objectId = path.getObjectId();
            for (LwM2mResource resource : instance.getResources().values()) {
                collect(endpoint, new LwM2mPath(objectId, instance.getId(), resource.getId()), resource, deviceTime,
                        receivedAt, out);
            }
        } else if (node instanceof LwM2mResource resource) {
            if (resource.isMultiInstances()) {
                for (Map.Entry<Integer, LwM2mResourceInstance> entry : resource.getInstances().entrySet()) {
                    add(endpoint, ResourcePath.of(path.getObjectId(), path.getObjectInstanceId(), resource.getId(),
                            entry.getKey()), resource.getType(), entry.getValue().getValue(), deviceTime, receivedAt, out);
                }
            } else {
                add(endpoint, ResourcePath.of(path.getObjectId(), path.getObjectInstanceId(), resource.getId()),
                        resource.getType(), resource.getValue(), deviceTime, receivedAt, out);
            }
        } else if (node instanceof LwM2mResourceInstance instance) {
            add(endpoint, ResourcePath.of(path.getObjectId(), path.getObjectInstanceId(), path.getResourceId(),
                    instance.getId()), instance.getType(), instance.getValue(), deviceTime, receivedAt, out);
        }
    }

    private static void add(String endpoint, ResourcePath path, Type type, Object value, Instant deviceTime,
            Instant receivedAt, List<ReportedValue> out) {
        TypedValue typed = typed(type, value);
        if (typed != null) {
            out.add(new ReportedValue(endpoint, path, typed, deviceTime, receivedAt));
        }
    }

    /** The world model's value for a Leshan value of the given type, or {@code null} for valueless types. */
    public static TypedValue typed(Type type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case INTEGER -> TypedValue.ofInteger(((Number) value).longValue());
            case UNSIGNED_INTEGER -> TypedValue.ofUnsigned(value instanceof ULong unsigned ? unsigned.toBigInteger()
                    : new BigInteger(value.toString()));
            case FLOAT -> TypedValue.ofFloat(((Number) value).doubleValue());
            case BOOLEAN -> TypedValue.ofBoolean((Boolean) value);
            case STRING -> TypedValue.ofString((String) value);
            case OPAQUE -> TypedValue.ofOpaque((byte[]) value);
            case TIME -> TypedValue.ofTime(((Date) value).toInstant());
            case OBJLNK -> TypedValue.ofObjectLink(((ObjectLink) value).getObjectId(),
                    ((ObjectLink) value).getObjectInstanceId());
            case CORELINK -> TypedValue.ofCoreLink(value instanceof Link[] links
                    ? Arrays.stream(links).map(Link::toString).collect(Collectors.joining(","))
                    : value.toString());
            case NONE -> null;
        };
    }
}
