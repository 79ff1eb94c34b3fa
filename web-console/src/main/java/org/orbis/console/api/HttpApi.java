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
import java.util.Optional;
import java.util.UUID;
import org.orbis.console.access.Access;
import org.orbis.console.access.AccessControl;
import org.orbis.console.access.AccessSettings;
import org.orbis.console.access.Principal;
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
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String VIEW_START_ATTRIBUTE = "orbis.view.after";

    private final Javalin app;
    private final EventStream events;
    private final FleetActivity activity;
    private final OrbisPlatform platform;
    private final ViewStream viewStreams;
    private final String host;
    private final int port;

    public HttpApi(OrbisPlatform platform, String host, int port) {
        this.host = host;
        this.port = port;
        this.events = new EventStream(platform.feed());
        this.activity = new FleetActivity(java.time.Clock.systemUTC());
        this.platform = platform;
        platform.world().addCommitListener(activity);
        DevicesApi devices = new DevicesApi(platform, activity);
        FleetApi fleet = new FleetApi(platform, activity);
        CommandsApi commands = new CommandsApi(platform);
        DeviceViewsApi deviceViews = new DeviceViewsApi(platform);
        SecurityApi security = new SecurityApi(platform);
        FirmwareApi firmware = new FirmwareApi(platform);
        AccessControl access = new AccessControl(platform.access(), AccessSettings.defaults());
        SessionApi session = new SessionApi(access, platform.passwords(),
                platform.settings().demoDevices() > 0);
        UsersApi users = new UsersApi(platform.access(), platform.passwords());
        GraphApi graph = new GraphApi(platform);
        WorldApi worldApi = new WorldApi(platform);
        this.viewStreams = new ViewStream(platform.services(), platform.feed());
        String openApi = resource("/api/openapi.json");
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.staticFiles.add("/public", Location.CLASSPATH);

            config.staticFiles.enableWebjars();

            // Every API route says which role it needs; AccessControl enforces it before the handler runs.
            config.routes.beforeMatched("/api/*", access::check);
            config.routes.get("/api/health", ctx -> ctx.json(Map.of("status", "ok")), Access.PUBLIC);
            // Prometheus text, outside /api: scraped like any exporter (keep the console port off public networks)
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(platform.metrics().scrape()));
            config.requestLogger.http((ctx, millis) -> platform.metrics().recordHttp(ctx.method().name(),
                    route(ctx), ctx.statusCode(), millis));
            config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi),
                    Access.PUBLIC);
            config.routes.get("/api/console", session::info, Access.PUBLIC);
            config.routes.post("/api/session", session::signIn, Access.PUBLIC);
            config.routes.get("/api/session", session::current, Access.VIEWER);
            config.routes.delete("/api/session", session::signOut, Access.VIEWER);

            config.routes.get("/api/overview", fleet::overview, Access.VIEWER);
            config.routes.get("/api/devices", devices::list, Access.VIEWER);
            config.routes.get("/api/devices/{endpoint}/model", fleet::model, Access.VIEWER);
            config.routes.get("/api/devices/{endpoint}", devices::get, Access.VIEWER);
            config.routes.get("/api/devices/{endpoint}/commands", commands::listForDevice, Access.VIEWER);
            config.routes.get("/api/commands", commands::listAll, Access.VIEWER);
            config.routes.get("/api/commands/{id}", commands::get, Access.VIEWER);
            config.routes.get("/api/devices/{endpoint}/desired", commands::listDesired, Access.VIEWER);
            config.routes.get("/api/desired/out-of-sync", commands::outOfSync, Access.VIEWER);

            config.routes.post("/api/devices", devices::provision, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/read", devices::read, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/write", devices::write, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/execute", devices::execute, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/observe", devices::observe, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/cancel-observe", devices::cancelObserve, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/write-attributes", devices::writeAttributes, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/discover", devices::discover, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/create", devices::create, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/delete", devices::delete, Access.OPERATOR);
            config.routes.post("/api/devices/bulk", fleet::bulk, Access.OPERATOR);
            config.routes.post("/api/devices/{endpoint}/commands", commands::queue, Access.OPERATOR);
            config.routes.delete("/api/commands/{id}", commands::cancel, Access.OPERATOR);
            config.routes.put("/api/devices/{endpoint}/desired", commands::setDesired, Access.OPERATOR);
            config.routes.delete("/api/devices/{endpoint}/desired", commands::clearDesired, Access.OPERATOR);

            config.routes.post("/api/devices/{endpoint}/credentials", security::rotate, Access.ADMIN);
            config.routes.post("/api/devices/{endpoint}/revoke", security::revoke, Access.ADMIN);
            config.routes.get("/api/security/audit", security::audit, Access.ADMIN);
            config.routes.get("/api/users", users::list, Access.ADMIN);
            config.routes.post("/api/users", users::create, Access.ADMIN);
            config.routes.patch("/api/users/{username}", users::change, Access.ADMIN);
            config.routes.delete("/api/users/{username}", users::delete, Access.ADMIN);
            config.routes.get("/api/tokens", users::listTokens, Access.ADMIN);
            config.routes.post("/api/tokens", users::createToken, Access.ADMIN);
            config.routes.delete("/api/tokens/{id}", users::revokeToken, Access.ADMIN);

            // Firmware: everyone signed in watches; operators run campaigns; only admins add or remove images.
            config.routes.get("/api/firmware", firmware::listImages, Access.VIEWER);
            config.routes.get("/api/firmware/{id}", firmware::getImage, Access.VIEWER);
            config.routes.get("/api/campaigns", firmware::listCampaigns, Access.VIEWER);
            config.routes.get("/api/campaigns/{id}", firmware::getCampaign, Access.VIEWER);
            config.routes.get("/api/campaigns/{id}/devices", firmware::campaignDevices, Access.VIEWER);
            config.routes.get("/api/firmware/{id}/content", firmware::imageContent, Access.OPERATOR);
            config.routes.post("/api/campaigns", firmware::createCampaign, Access.OPERATOR);
            config.routes.post("/api/campaigns/{id}/pause", firmware::pause, Access.OPERATOR);
            config.routes.post("/api/campaigns/{id}/resume", firmware::resume, Access.OPERATOR);
            config.routes.post("/api/campaigns/{id}/abort", firmware::abort, Access.OPERATOR);
            config.routes.post("/api/firmware", firmware::upload, Access.ADMIN);
            config.routes.delete("/api/firmware/{id}", firmware::deleteImage, Access.ADMIN);

            // Validated before the stream starts (after the access check), so that a bad Last-Event-ID still gets a 400.
            config.routes.beforeMatched("/api/events", ctx -> {
                String accept = ctx.header("Accept");
                if (accept == null || !accept.contains("text/event-stream")) {
                    throw new ApiException(406, "Not acceptable", "this is a Server-Sent Events stream: send "
                            + "'Accept: text/event-stream' (EventSource does; with curl add -N -H 'Accept: text/event-stream')");
                }
                ctx.attribute(START_ATTRIBUTE, events.startSequence(ctx.header("Last-Event-ID"), ctx.queryParam("since")));
            });
            config.routes.sse("/api/events", client -> {
                Principal principal = AccessControl.principal(client.ctx());
                events.open(client, client.ctx().attribute(START_ATTRIBUTE), () -> access.isStillValid(principal));
            }, Access.VIEWER);

            // The shared world: entities and edges, bulk import, queries, history, models and views (issue 3).
            config.routes.get("/api/entities", graph::listEntities, Access.VIEWER);
            config.routes.get("/api/entities/<key>", graph::getEntity, Access.VIEWER);
            config.routes.put("/api/entities/<key>", graph::putEntity, Access.OPERATOR);
            config.routes.delete("/api/entities/<key>", graph::deleteEntity, Access.OPERATOR);
            config.routes.get("/api/edges", graph::listEdges, Access.VIEWER);
            config.routes.post("/api/edges", graph::link, Access.OPERATOR);
            config.routes.delete("/api/edges", graph::unlink, Access.OPERATOR);
            config.routes.post("/api/import", graph::importGraph, Access.OPERATOR);
            config.routes.get("/api/query", worldApi::query, Access.VIEWER);
            config.routes.get("/api/devices/{endpoint}/history", worldApi::history, Access.VIEWER);
            config.routes.get("/api/models", worldApi::models, Access.VIEWER);
            config.routes.get("/api/models/{id}", worldApi::model, Access.VIEWER);
            config.routes.get("/api/devices/{endpoint}/views", deviceViews::list, Access.VIEWER);
            config.routes.put("/api/devices/{endpoint}/views/{name}", deviceViews::assign, Access.OPERATOR);
            config.routes.delete("/api/devices/{endpoint}/views/{name}", deviceViews::remove, Access.OPERATOR);
            config.routes.get("/api/views", worldApi::listViews, Access.VIEWER);
            config.routes.put("/api/views/{name}", worldApi::putView, Access.OPERATOR);
            config.routes.get("/api/views/{name}", worldApi::getView, Access.VIEWER);
            config.routes.delete("/api/views/{name}", worldApi::deleteView, Access.OPERATOR);
            config.routes.beforeMatched("/api/views/{name}/events", ctx -> {
                requireEventStream(ctx);
                ctx.attribute(VIEW_START_ATTRIBUTE, Optional.ofNullable(viewStreams.startSequence(ctx.pathParam("name"),
                        ctx.header("Last-Event-ID"), ctx.queryParam("since"))));
            });
            config.routes.sse("/api/views/{name}/events", client -> {
                Principal principal = AccessControl.principal(client.ctx());
                viewStreams.open(client, client.ctx().pathParam("name"),
                        client.ctx().<Optional<Long>>attribute(VIEW_START_ATTRIBUTE).orElse(null),
                        () -> access.isStillValid(principal));
            }, Access.VIEWER);

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

    /** Drops every open event stream, as a flaky network would; returns how many (operations and tests use it). */
    public int dropEventStreams() {
        return events.dropAll();
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return app.port();
    }

    private static void requireEventStream(Context ctx) {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiException(406, "Not acceptable", "this is a Server-Sent Events stream: send "
                    + "'Accept: text/event-stream' (EventSource does; with curl add -N -H 'Accept: text/event-stream')");
        }
    }

    @Override
    public void close() {
        platform.world().removeCommitListener(activity);
        viewStreams.close();
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

    /** The matched route pattern (bounded label values), or "unmatched". */
    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
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
