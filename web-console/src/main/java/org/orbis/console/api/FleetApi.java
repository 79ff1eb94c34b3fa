package org.orbis.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.leshan.core.model.LwM2mModel;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel;
import org.eclipse.leshan.server.registration.Registration;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.server.commands.CommandRequest;
import org.orbis.server.operations.OperationException;
import org.orbis.world.commands.Command;
import org.orbis.world.commands.CommandKind;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.ResourceValue;

/**
 * What the console needs beyond single devices: the fleet overview ({@code /api/overview}), the object models a
 * device registered with ({@code /api/devices/{endpoint}/model}) and bulk actions on a selection
 * ({@code /api/devices/bulk}).
 */
final class FleetApi {

    static final int MAX_BULK = 1000;

    private final OrbisPlatform platform;
    private final FleetActivity activity;

    FleetApi(OrbisPlatform platform, FleetActivity activity) {
        this.platform = platform;
        this.activity = activity;
    }

    record OverviewView(Map<String, Long> states, long total, List<FleetActivity.MinuteView> perMinute,
            List<FleetActivity.ErrorView> recentErrors, long head) {
    }

    void overview(Context ctx) {
        Map<String, Long> states = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<DeviceState, Long> entry : platform.world().countByState().entrySet()) {
            states.put(entry.getKey().label(), entry.getValue());
            total += entry.getValue();
        }
        ctx.json(new OverviewView(states, total, activity.perMinute(), activity.recentErrors(), platform.feed().head()));
    }

    record ResourceModelView(int id, String name, String type, String operations, boolean multiple, boolean mandatory,
            String units, String range, String description) {
        static ResourceModelView of(ResourceModel model) {
            return new ResourceModelView(model.id, model.name, model.type == null ? null : model.type.name(),
                    model.operations == null ? "NONE" : model.operations.name(), model.multiple, model.mandatory,
                    blankToNull(model.units), blankToNull(model.rangeEnumeration), blankToNull(model.description));
        }
    }

    record ObjectModelView(int id, String name, String version, boolean multiple, boolean mandatory, String description,
            List<Integer> instances, List<ResourceModelView> resources) {
    }

    record DeviceModelView(String endpoint, boolean registered, List<ObjectModelView> objects) {
    }

    /**
     * The models of the objects the device registered with (their versions as registered) and their instances; for a
     * device not registered now, the objects its reported values belong to, in the newest versions known.
     */
    void model(Context ctx) {
        String endpoint = Requests.requireDevice(platform, ctx.pathParam("endpoint")).endpoint();
        Registration registration = platform.dmServer().leshan().getRegistrationService().getByEndpoint(endpoint);
        LwM2mModel model = platform.dmServer().operations().modelOf(endpoint);
        Map<Integer, java.util.SortedSet<Integer>> instances = new TreeMap<>();
        if (registration != null) {
            registration.getSupportedObject().keySet().forEach(id -> instances.put(id, new java.util.TreeSet<>()));
            registration.getAvailableInstances().forEach(path -> {
                if (path.isObjectInstance()) {
                    instances.computeIfAbsent(path.getObjectId(), id -> new java.util.TreeSet<>())
                            .add(path.getObjectInstanceId());
                }
            });
        }
        for (ResourceValue value : platform.world().values(endpoint)) {
            instances.computeIfAbsent(value.path().objectId(), id -> new java.util.TreeSet<>())
                    .add(value.path().instanceId());
        }
        List<ObjectModelView> objects = new ArrayList<>();
        for (Map.Entry<Integer, java.util.SortedSet<Integer>> entry : instances.entrySet()) {
            ObjectModel object = model.getObjectModel(entry.getKey());
            if (object == null) {
                objects.add(new ObjectModelView(entry.getKey(), "Unknown object " + entry.getKey(), null, true, false,
                        "the server has no model for this object", List.copyOf(entry.getValue()), List.of()));
                continue;
            }
            objects.add(new ObjectModelView(object.id, object.name, object.version, object.multiple, object.mandatory,
                    blankToNull(object.description), List.copyOf(entry.getValue()),
                    object.resources.values().stream().sorted((a, b) -> Integer.compare(a.id, b.id))
                            .map(ResourceModelView::of).toList()));
        }
        ctx.json(new DeviceModelView(endpoint, registration != null, objects));
    }

    record BulkBody(List<String> endpoints, String action, String kind, String path, JsonNode value, String arguments,
            String expiresIn) {
    }

    record BulkResult(String endpoint, boolean ok, String detail, Long commandId) {
    }

    record BulkView(int requested, int succeeded, int failed, List<BulkResult> results) {
    }

    /**
     * Queues a command (action {@code command}) or sets a desired value (action {@code desired}) for each endpoint of
     * the selection; each endpoint succeeds or fails on its own and the answer says which and why.
     */
    void bulk(Context ctx) {
        BulkBody body = Json.parse(ctx.body(), BulkBody.class);
        if (body.endpoints() == null || body.endpoints().isEmpty() || body.endpoints().size() > MAX_BULK) {
            throw ApiException.badRequest("field 'endpoints' must list 1 to " + MAX_BULK + " endpoints");
        }
        String action = body.action() == null ? "" : body.action().toLowerCase(Locale.ROOT);
        if (!action.equals("command") && !action.equals("desired")) {
            throw ApiException.badRequest("field 'action' must be 'command' (with kind, path, value?, arguments?) or "
                    + "'desired' (with path, value)");
        }
        Requests.requirePath(body.path());
        var expiresIn = CommandsApi.duration(body.expiresIn());
        CommandKind kind = null;
        if (action.equals("command")) {
            try {
                kind = CommandKind.valueOf(String.valueOf(body.kind()).toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown command kind '" + body.kind()
                        + "': use read, write, execute, observe or cancel_observe");
            }
        }
        Object value = action.equals("desired") || kind == CommandKind.WRITE ? Requests.scalar(body.value(), "value")
                : null;
        List<BulkResult> results = new ArrayList<>();
        int succeeded = 0;
        for (String endpoint : body.endpoints()) {
            BulkResult result;
            if (platform.world().device(endpoint).isEmpty()) {
                result = new BulkResult(endpoint, false, "no such device", null);
            } else {
                try {
                    if (kind != null) {
                        Command command = platform.dmServer().commands().queue(new CommandRequest(endpoint, kind,
                                body.path(), value, body.arguments(), null, 0, expiresIn, null));
                        result = new BulkResult(endpoint, true, "queued", command.id());
                    } else {
                        var desired = platform.dmServer().commands().setDesired(endpoint, body.path(), value, expiresIn);
                        result = new BulkResult(endpoint, true, desired.inSync() ? "in sync" : "desired value set",
                                desired.commandId());
                    }
                } catch (OperationException | IllegalArgumentException e) {
                    result = new BulkResult(endpoint, false, e.getMessage(), null);
                }
            }
            if (result.ok()) {
                succeeded++;
            }
            results.add(result);
        }
        ctx.json(new BulkView(results.size(), succeeded, results.size() - succeeded, results));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
