package org.orbis.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.orbis.bootstrap.provisioning.ProvisionedDevice;
import org.orbis.bootstrap.provisioning.ProvisioningRequest;
import org.orbis.console.api.Views.DeviceDetailView;
import org.orbis.console.api.Views.DevicePageView;
import org.orbis.console.api.Views.OperationView;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.server.operations.OperationException;
import org.orbis.server.operations.OperationResult;
import org.orbis.world.credentials.DuplicateCredentialException;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.DeviceQuery;

/** Handlers of {@code /api/devices}: provisioning, listing, snapshots and device operations. */
final class DevicesApi {

    private static final int DEFAULT_PAGE = 100;

    private final OrbisPlatform platform;

    DevicesApi(OrbisPlatform platform) {
        this.platform = platform;
    }

    record ProvisionBody(String endpoint, String pskIdentity, String pskKey, String serverPskIdentity,
            String serverPskKey) {
    }

    record PathBody(String path) {
    }

    record WriteBody(String path, JsonNode value) {
    }

    record ExecuteBody(String path, String arguments) {
    }

    record Credentials(String uri, String pskIdentity, String pskKey) {
    }

    record ProvisionedView(String endpoint, Credentials bootstrap, Credentials server, String clientCommand,
            String note) {
    }

    void provision(Context ctx) {
        ProvisionBody body = Json.parse(ctx.body(), ProvisionBody.class);
        if (body.endpoint() == null) {
            throw ApiException.badRequest("field 'endpoint' is required");
        }
        if (!NodeKey.isValidEndpoint(body.endpoint())) {
            throw ApiException.badRequest("endpoint name '" + body.endpoint()
                    + "' is not valid: use 1 to 128 letters, digits or . _ : @ + -");
        }
        ProvisionedDevice device;
        try {
            device = platform.provisioning().provision(new ProvisioningRequest(body.endpoint(), body.pskIdentity(),
                    hexKey("pskKey", body.pskKey()), body.serverPskIdentity(), hexKey("serverPskKey", body.serverPskKey())));
        } catch (DuplicateCredentialException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Credentials bootstrap = new Credentials(platform.bootstrapServerUri(), device.bootstrap().identity(),
                device.bootstrap().keyHex());
        Credentials server = new Credentials(platform.dmServerUri(), device.server().identity(), device.server().keyHex());
        String command = "java -jar constrained-client/target/orbis-client.jar --bootstrap " + bootstrap.uri()
                + " --endpoint " + device.endpoint() + " --psk-identity " + bootstrap.pskIdentity() + " --psk-key "
                + bootstrap.pskKey();
        ctx.status(201).header("Location", "/api/devices/" + device.endpoint()).json(new ProvisionedView(
                device.endpoint(), bootstrap, server, command,
                "Keys are shown only in this answer: store them now."));
    }

    void list(Context ctx) {
        String stateParam = ctx.queryParam("state");
        DeviceState state;
        try {
            state = stateParam == null || stateParam.isBlank() ? null : DeviceState.fromLabel(stateParam);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        int offset = intParam(ctx, "offset", 0);
        int limit = intParam(ctx, "limit", DEFAULT_PAGE);
        DeviceQuery query;
        try {
            query = new DeviceQuery(state, ctx.queryParam("search"), offset, limit);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ctx.json(DevicePageView.of(platform.world().devices(query)));
    }

    void get(Context ctx) {
        Device device = requireDevice(ctx.pathParam("endpoint"));
        var values = platform.world().values(device.endpoint());
        ctx.json(DeviceDetailView.of(device, values, platform.services().models().describe(values)));
    }

    void read(Context ctx) {
        Device device = requireDevice(ctx.pathParam("endpoint"));
        PathBody body = Json.parse(ctx.body(), PathBody.class);
        String path = requirePath(body.path());
        respond(ctx, operation(() -> platform.dmServer().operations().read(device.endpoint(), path)));
    }

    void write(Context ctx) {
        Device device = requireDevice(ctx.pathParam("endpoint"));
        WriteBody body = Json.parse(ctx.body(), WriteBody.class);
        String path = requirePath(body.path());
        Object value = scalar(body.value());
        respond(ctx, operation(() -> platform.dmServer().operations().write(device.endpoint(), path, value)));
    }

    void execute(Context ctx) {
        Device device = requireDevice(ctx.pathParam("endpoint"));
        ExecuteBody body = Json.parse(ctx.body(), ExecuteBody.class);
        String path = requirePath(body.path());
        respond(ctx, operation(() -> platform.dmServer().operations().execute(device.endpoint(), path, body.arguments())));
    }

    private static void respond(Context ctx, CompletableFuture<OperationResult> future) {
        ctx.future(() -> future.thenAccept(result -> {
            if (result.isSuccess()) {
                ctx.json(OperationView.of(result));
                return;
            }
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("endpoint", result.endpoint());
            extras.put("path", result.path());
            extras.put("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT));
            if (result.code() != null) {
                extras.put("deviceCode", result.code());
            }
            ApiException error = switch (result.outcome()) {
                case DEVICE_ERROR -> new ApiException(502, "Device refused the request", "device '" + result.endpoint()
                        + "' answered " + result.code() + " for " + result.path()
                        + (result.message() == null || result.message().isBlank() ? "" : ": " + result.message()), extras);
                case TIMEOUT -> new ApiException(504, "Device did not answer", result.message(), extras);
                case SLEEPING -> new ApiException(409, "Device is sleeping", result.message(), extras);
                default -> new ApiException(502, "Operation failed", result.message(), extras);
            };
            HttpApi.problem(ctx, error);
        }));
    }

    private static CompletableFuture<OperationResult> operation(OperationCall call) {
        try {
            return call.start();
        } catch (OperationException e) {
            throw e.reason() == OperationException.Reason.NOT_REGISTERED ? ApiException.conflict(e.getMessage())
                    : ApiException.badRequest(e.getMessage());
        }
    }

    private Device requireDevice(String endpoint) {
        return platform.world().device(endpoint).orElseThrow(() -> ApiException.notFound("no device '" + endpoint
                + "' is provisioned; create it with POST /api/devices"));
    }

    private static String requirePath(String path) {
        if (path == null || path.isBlank()) {
            throw ApiException.badRequest("field 'path' is required, e.g. \"/3303/0/5700\"");
        }
        return path;
    }

    private static Object scalar(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw ApiException.badRequest("field 'value' is required");
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        throw ApiException.badRequest("field 'value' must be a boolean, a number or a string, not " + value.getNodeType());
    }

    private static byte[] hexKey(String field, String hex) {
        if (hex == null) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field '" + field + "' must be an even number of hex digits");
        }
    }

    private static int intParam(Context ctx, String name, int defaultValue) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an integer, not '" + text + "'");
        }
    }

    @FunctionalInterface
    private interface OperationCall {
        CompletableFuture<OperationResult> start();
    }

    static List<String> routes() {
        return List.of("POST /api/devices", "GET /api/devices", "GET /api/devices/{endpoint}",
                "POST /api/devices/{endpoint}/read", "POST /api/devices/{endpoint}/write",
                "POST /api/devices/{endpoint}/execute", "GET /api/events", "GET /api/openapi.json");
    }
}
