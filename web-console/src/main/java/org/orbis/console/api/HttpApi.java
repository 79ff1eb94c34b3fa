package org.orbis.console.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.orbis.console.platform.OrbisPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the API under {@code /api}, the console page at {@code /}, problem+json for every error.
 * Request bodies above {@link #MAX_BODY_BYTES} are refused with 413.
 */
public final class HttpApi implements AutoCloseable {

    public static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String START_ATTRIBUTE = "orbis.events.after";

    private final Javalin app;
    private final EventStream events;
    private final String host;
    private final int port;

    public HttpApi(OrbisPlatform platform, String host, int port) {
        this.host = host;
        this.port = port;
        this.events = new EventStream(platform.feed());
        DevicesApi devices = new DevicesApi(platform);
        CommandsApi commands = new CommandsApi(platform);
        SecurityApi security = new SecurityApi(platform);
        FirmwareApi firmware = new FirmwareApi(platform);
        String openApi = resource("/api/openapi.json");
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.staticFiles.add("/public", Location.CLASSPATH);

            config.routes.post("/api/devices", devices::provision);
            config.routes.get("/api/devices", devices::list);
            config.routes.get("/api/devices/{endpoint}", devices::get);
            config.routes.post("/api/devices/{endpoint}/read", devices::read);
            config.routes.post("/api/devices/{endpoint}/write", devices::write);
            config.routes.post("/api/devices/{endpoint}/execute", devices::execute);
            config.routes.post("/api/devices/{endpoint}/commands", commands::queue);
            config.routes.get("/api/devices/{endpoint}/commands", commands::listForDevice);
            config.routes.get("/api/commands", commands::listAll);
            config.routes.get("/api/commands/{id}", commands::get);
            config.routes.delete("/api/commands/{id}", commands::cancel);
            config.routes.put("/api/devices/{endpoint}/desired", commands::setDesired);
            config.routes.get("/api/devices/{endpoint}/desired", commands::listDesired);
            config.routes.delete("/api/devices/{endpoint}/desired", commands::clearDesired);
            config.routes.get("/api/desired/out-of-sync", commands::outOfSync);
            config.routes.post("/api/devices/{endpoint}/credentials", security::rotate);
            config.routes.post("/api/devices/{endpoint}/revoke", security::revoke);
            config.routes.get("/api/security/audit", security::audit);
            config.routes.post("/api/firmware", firmware::upload);
            config.routes.get("/api/firmware", firmware::listImages);
            config.routes.get("/api/firmware/{id}", firmware::getImage);
            config.routes.get("/api/firmware/{id}/content", firmware::imageContent);
            config.routes.delete("/api/firmware/{id}", firmware::deleteImage);
            config.routes.post("/api/campaigns", firmware::createCampaign);
            config.routes.get("/api/campaigns", firmware::listCampaigns);
            config.routes.get("/api/campaigns/{id}", firmware::getCampaign);
            config.routes.get("/api/campaigns/{id}/devices", firmware::campaignDevices);
            config.routes.post("/api/campaigns/{id}/pause", firmware::pause);
            config.routes.post("/api/campaigns/{id}/resume", firmware::resume);
            config.routes.post("/api/campaigns/{id}/abort", firmware::abort);
            config.routes.get("/api/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            // Validated before the stream starts, so that a bad Last-Event-ID still gets a 400 problem.
            config.routes.before("/api/events", ctx -> {
                String accept = ctx.header("Accept");
                if (accept == null || !accept.contains("text/event-stream")) {
                    throw new ApiException(406, "Not acceptable", "this is a Server-Sent Events stream: send "
                            + "'Accept: text/event-stream' (EventSource does; with curl add -N -H 'Accept: text/event-stream')");
                }
                ctx.attribute(START_ATTRIBUTE, events.startSequence(ctx.header("Last-Event-ID"), ctx.queryParam("since")));
            });
            config.routes.sse("/api/events", client -> events.open(client, client.ctx().attribute(START_ATTRIBUTE)));

            config.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, translate(ctx, e)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String reference = UUID.randomUUID().toString();
                LOG.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, e);
                problem(ctx, new ApiException(500, "Internal error", "the server failed to handle this request; "
                        + "the server log has the details under reference " + reference));
            });
        });
    }

    public void start() {
        app.start(host, port);
        LOG.info("console and HTTP API on http://{}:{}/ (API under /api)", host, app.port());
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        events.close();
        app.stop();
    }

    static void problem(Context ctx, ApiException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", error.title());
        body.put("status", error.status());
        body.put("detail", error.getMessage());
        body.put("instance", ctx.path());
        body.putAll(error.extras());
        ctx.status(error.status()).contentType(PROBLEM_JSON).result(Json.write(body));
    }

    private static ApiException translate(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> ApiException.notFound("no such resource: " + ctx.method() + " " + ctx.path()
                    + "; the API is described at /api/openapi.json");
            case 413 -> new ApiException(413, "Request body too large",
                    "the request body is larger than " + MAX_BODY_BYTES + " bytes");
            default -> new ApiException(e.getStatus(), e.getMessage(), e.getMessage());
        };
    }

    private static String resource(String path) {
        try (InputStream in = HttpApi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the web-console jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
