package org.orbis.client.objects;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.ServerIdentity;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mResource;
import org.eclipse.leshan.core.node.LwM2mMultipleResource;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.response.ReadResponse;
import org.eclipse.leshan.core.response.WriteResponse;

/**
 * One instance of the Orbis World View object (33100): the part of the world a server gives this device to see, as
 * parallel lists of entry keys, values, types, timestamps and numeric values. The server replaces the whole instance
 * when the view changes; each accepted copy is handed to the listener (the CLI prints it with {@code --print-view}).
 */
public final class WorldViewInstance extends BaseInstanceEnabler {

    public static final int OBJECT_ID = 33100;
    public static final int CAPACITY = 64;
    private static final int NAME = 0;
    private static final int KEYS = 1;
    private static final int VALUES = 2;
    private static final int TYPES = 3;
    private static final int TIMESTAMPS = 4;
    private static final int NUMBERS = 5;
    private static final int SEQUENCE = 6;
    private static final int CAPACITY_RESOURCE = 7;
    private static final int TRUNCATED = 8;

    private final Consumer<WorldViewSnapshot> listener;
    private final Map<Integer, LwM2mResource> resources = new TreeMap<>();

    public WorldViewInstance(Consumer<WorldViewSnapshot> listener) {
        this.listener = listener;
    }

    @Override
    public synchronized ReadResponse read(ServerIdentity identity, int resourceId) {
        if (resourceId == CAPACITY_RESOURCE) {
            return ReadResponse.success(resourceId, (long) CAPACITY);
        }
        LwM2mResource resource = resources.get(resourceId);
        return resource == null ? ReadResponse.notFound() : ReadResponse.success(resource);
    }

    @Override
    public WriteResponse write(ServerIdentity identity, boolean replace, LwM2mObjectInstance value) {
        WorldViewSnapshot snapshot;
        synchronized (this) {
            if (replace) {
                resources.clear();
            }
            for (LwM2mResource resource : value.getResources().values()) {
                if (resource.getId() != CAPACITY_RESOURCE) {
                    resources.put(resource.getId(), resource);
                }
            }
            snapshot = snapshot();
        }
        listener.accept(snapshot);
        return WriteResponse.success();
    }

    @Override
    public WriteResponse write(ServerIdentity identity, boolean replace, int resourceId, LwM2mResource value) {
        if (resourceId == CAPACITY_RESOURCE) {
            return WriteResponse.methodNotAllowed();
        }
        WorldViewSnapshot snapshot;
        synchronized (this) {
            resources.put(resourceId, value);
            snapshot = snapshot();
        }
        // Written resource by resource (as Create does), a copy is complete once its Sequence arrives.
        if (resourceId == SEQUENCE) {
            listener.accept(snapshot);
        }
        return WriteResponse.success();
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        List<Integer> ids = new ArrayList<>(resources.keySet());
        if (!ids.contains(CAPACITY_RESOURCE)) {
            ids.add(CAPACITY_RESOURCE);
        }
        ids.sort(Integer::compare);
        return ids;
    }

    /** What this instance holds now. */
    public synchronized WorldViewSnapshot snapshot() {
        Map<Integer, ?> keys = instances(KEYS);
        Map<Integer, ?> values = instances(VALUES);
        Map<Integer, ?> types = instances(TYPES);
        Map<Integer, ?> times = instances(TIMESTAMPS);
        Map<Integer, ?> numbers = instances(NUMBERS);
        List<WorldViewSnapshot.Entry> entries = new ArrayList<>();
        for (Map.Entry<Integer, ?> key : new TreeMap<>(keys).entrySet()) {
            int slot = key.getKey();
            Object time = times.get(slot);
            Object type = types.get(slot);
            entries.add(new WorldViewSnapshot.Entry(String.valueOf(key.getValue()), String.valueOf(values.get(slot)),
                    type == null ? -1 : ((Number) type).intValue(), time instanceof Date date ? date.toInstant() : null,
                    numbers.get(slot) instanceof Number number ? number.doubleValue() : null));
        }
        return new WorldViewSnapshot(getId() == null ? -1 : getId(), string(NAME), number(SEQUENCE),
                Boolean.TRUE.equals(single(TRUNCATED)), entries);
    }

    private Map<Integer, ?> instances(int id) {
        LwM2mResource resource = resources.get(id);
        if (resource instanceof LwM2mMultipleResource multiple) {
            Map<Integer, Object> values = new TreeMap<>();
            multiple.getInstances().forEach((slot, instance) -> values.put(slot, instance.getValue()));
            return values;
        }
        return Map.of();
    }

    private Object single(int id) {
        LwM2mResource resource = resources.get(id);
        return resource instanceof LwM2mSingleResource single ? single.getValue() : null;
    }

    private String string(int id) {
        Object value = single(id);
        return value == null ? null : value.toString();
    }

    private long number(int id) {
        Object value = single(id);
        return value instanceof Number number ? number.longValue() : -1;
    }
}
