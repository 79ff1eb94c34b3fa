package org.orbis.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
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
import org.orbis.world.credentials.CredentialMode;
import org.orbis.world.credentials.DuplicateCredentialException;
import org.orbis.world.graph.Device;
import org.orbis.world.graph.DeviceState;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.store.DeviceDirectory;
import org.orbis.world.store.DeviceSearch;

/** Handlers of {@code /api/devices}: provisioning, listing, snapshots and device operations. */
final class DevicesApi {

    private static final int DEFAULT_PAGE = 100;

    private final OrbisPlatform platform;
    private final DeviceDirectory directory;
    private final FleetActivity activity;

    DevicesApi(OrbisPlatform platform, FleetActivity activity) {
        this.platform = platform;
        this.directory = new DeviceDirectory(platform.world().database());
        this.activity = activity;
    }

    /**
     * {@code mode} is the bootstrap credential's mode (default psk), {@code serverMode} the DM server's (default: the
     * same as {@code mode}); public keys and certificates are PEM, keys hex. Everything left out is generated.
     */
    record ProvisionBody(String endpoint, String pskIdentity, String pskKey, String serverPskIdentity,
            String serverPskKey, String mode, String serverMode, String publicKey, String certificate,
            String serverPublicKey, String serverCertificate) {
    }

    record PathBody(String path) {
    }

    record WriteBody(String path, JsonNode value) {
    }

    record ExecuteBody(String path, String arguments) {
    }

    record ProvisionedView(String endpoint, CredentialViews.CredentialView bootstrap,
            CredentialViews.CredentialView server, String clientCommand, String note) {
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
        CredentialMode bootstrapMode = CredentialViews.mode("mode", body.mode(), CredentialMode.PSK);
        CredentialMode serverMode = CredentialViews.mode("serverMode", body.serverMode(), bootstrapMode);
        ProvisionedDevice device;
        try {
            device = platform.provisioning().provision(new ProvisioningRequest(body.endpoint(),
                    CredentialViews.request("", bootstrapMode, body.pskIdentity(), body.pskKey(), body.publicKey(),
                            body.certificate()),
                    CredentialViews.request("server", serverMode, body.serverPskIdentity(), body.serverPskKey(),
                            body.serverPublicKey(), body.serverCertificate())));
        } catch (DuplicateCredentialException e) {
            throw ApiException.conflict(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        var security = platform.security();
        CredentialViews.CredentialView bootstrap = CredentialViews.CredentialView.of(platform.bootstrapServerUri(),
                device.bootstrapCredential(), security.bootstrapServer().identity().certificate());
        CredentialViews.CredentialView server = CredentialViews.CredentialView.of(platform.dmServerUri(),
                device.serverCredential(), security.dmServer().identity().certificate());
        String command = "java -jar constrained-client/target/orbis-client.jar --bootstrap " + bootstrap.uri()
                + " --endpoint " + device.endpoint() + switch (bootstrapMode) {
                    case PSK -> " --psk-identity " + bootstrap.pskIdentity() + " --psk-key " + bootstrap.pskKey();
                    case RPK -> " --rpk-public-key device.pub.pem --rpk-private-key device.key.pem"
                            + " --rpk-server-key bootstrap-server.pub.pem";
                    case X509 -> " --cert device.pem --key device.key.pem --ca bootstrap-server.pem";
                };
        ctx.status(201).header("Location", "/api/devices/" + device.endpoint()).json(new ProvisionedView(
                device.endpoint(), bootstrap, server, command,
                "Keys are shown only in this answer: store them now."
                        + (bootstrapMode == CredentialMode.PSK ? "" : " Save bootstrap.publicKey/privateKey/certificate"
                                + " and the bootstrap server's key or certificate to the files the command names.")));
    }

    void list(Context ctx) {
        String stateParam = ctx.queryParam("state");
        DeviceState state;
        try {
            state = stateParam == null || stateParam.isBlank() ? null : DeviceState.fromLabel(stateParam);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        int offset = Requests.intParam(ctx, "offset", 0);
        int limit = Requests.intParam(ctx, "limit", DEFAULT_PAGE);
        DeviceSearch search;
        try {
            search = DeviceSearch.parse(ctx.queryParam("search"), state == null ? null : state.label(),
                    ctx.queryParam("sort"), offset, limit);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        long started = System.nanoTime();
        DevicePageView page = DevicePageView.of(directory.search(search));
        ctx.header("Server-Timing", "db;dur=" + String.format(java.util.Locale.ROOT, "%.2f",
                (System.nanoTime() - started) / 1e6));
        ctx.json(page);
    }

    void get(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        var values = platform.world().values(device.endpoint());
        ctx.json(DeviceDetailView.of(device, values, platform.services().models().describe(values)));
    }

    void read(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        PathBody body = Json.parse(ctx.body(), PathBody.class);
        String path = Requests.requirePath(body.path());
        respond(ctx, operation(() -> platform.dmServer().operations().read(device.endpoint(), path)));
    }

    void write(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        WriteBody body = Json.parse(ctx.body(), WriteBody.class);
        String path = Requests.requirePath(body.path());
        Object value = Requests.scalar(body.value(), "value");
        respond(ctx, operation(() -> platform.dmServer().operations().write(device.endpoint(), path, value)));
    }

    void execute(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        ExecuteBody body = Json.parse(ctx.body(), ExecuteBody.class);
        String path = Requests.requirePath(body.path());
        respond(ctx, operation(() -> platform.dmServer().operations().execute(device.endpoint(), path, body.arguments())));
    }

    void observe(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        String path = Requests.requirePath(Json.parse(ctx.body(), PathBody.class).path());
        respond(ctx, operation(() -> platform.dmServer().operations().observe(device.endpoint(), path)));
    }

    void cancelObserve(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        String path = Requests.requirePath(Json.parse(ctx.body(), PathBody.class).path());
        respond(ctx, operation(() -> platform.dmServer().operations().cancelObserve(device.endpoint(), path)));
    }

    void discover(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        String path = Requests.requirePath(Json.parse(ctx.body(), PathBody.class).path());
        respond(ctx, operation(() -> platform.dmServer().operations().discover(device.endpoint(), path)));
    }

    record AttributesBody(String path, Map<String, Double> attributes) {
    }

    void writeAttributes(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        AttributesBody body = Json.parse(ctx.body(), AttributesBody.class);
        String path = Requests.requirePath(body.path());
        respond(ctx, operation(() -> platform.dmServer().operations().writeAttributes(device.endpoint(), path,
                body.attributes())));
    }

    record CreateBody(String path, Map<Integer, JsonNode> resources) {
    }

    void create(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        CreateBody body = Json.parse(ctx.body(), CreateBody.class);
        String path = Requests.requirePath(body.path());
        Map<Integer, Object> resources = new LinkedHashMap<>();
        if (body.resources() != null) {
            body.resources().forEach((id, value) -> resources.put(id, Requests.scalar(value, "resources." + id)));
        }
        respond(ctx, operation(() -> platform.dmServer().operations().create(device.endpoint(), path, resources)));
    }

    void delete(Context ctx) {
        Device device = Requests.requireDevice(platform, ctx.pathParam("endpoint"));
        String path = Requests.requirePath(Json.parse(ctx.body(), PathBody.class).path());
        respond(ctx, operation(() -> platform.dmServer().operations().delete(device.endpoint(), path)));
    }

    private void respond(Context ctx, CompletableFuture<OperationResult> future) {
        ctx.future(() -> future.thenAccept(result -> {
            if (!result.isSuccess()) {
                activity.operationFailed(result);
            }
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
        // sent from Jetty's thread; DeviceOperations never blocks on the device
        try {
            return call.start();
        } catch (OperationException e) {
            throw e.reason() == OperationException.Reason.NOT_REGISTERED ? ApiException.conflict(e.getMessage())
                    : ApiException.badRequest(e.getMessage());
        }
    }

    @FunctionalInterface
    private interface OperationCall {
        CompletableFuture<OperationResult> start();
    }

}
