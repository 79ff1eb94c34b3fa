package org.orbis.console.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.orbis.console.api.NodeViews.BucketView;
import org.orbis.console.api.NodeViews.HistoryView;
import org.orbis.console.api.NodeViews.NodeView;
import org.orbis.console.api.NodeViews.ObjectSummaryView;
import org.orbis.console.api.NodeViews.PageView;
import org.orbis.console.api.NodeViews.PointView;
import org.orbis.console.api.NodeViews.ViewDefinitionView;
import org.orbis.console.api.NodeViews.ViewResultView;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.console.platform.WorldServices;
import org.orbis.world.graph.NodeKey;
import org.orbis.world.graph.ResourcePath;
import org.orbis.world.history.HistoryStore;
import org.orbis.world.models.ObjectModel;
import org.orbis.world.query.NodeQuery;
import org.orbis.world.query.QueryPage;
import org.orbis.world.views.ViewDefinition;

/** Handlers of {@code /api/query}, {@code /api/devices/{endpoint}/history}, {@code /api/models} and {@code /api/views}. */
final class WorldApi {

    private static final int DEFAULT_PAGE = 100;

    private final OrbisPlatform platform;

    WorldApi(OrbisPlatform platform) {
        this.platform = platform;
    }

    record ViewBody(String query, String description) {
    }

    /** {@code GET /api/query?q=…&after=…&limit=…}. */
    void query(Context ctx) {
        String text = ctx.queryParam("q");
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("query parameter 'q' is required, e.g. q=path=*/3303/*/5700 and state=online "
                    + "(the syntax is described at /api/openapi.json)");
        }
        int limit = intParam(ctx, "limit", DEFAULT_PAGE);
        QueryPage page = GraphApi.guard(() -> services().queries().run(NodeQuery.parse(text),
                GraphApi.blank(ctx.queryParam("after")), limit));
        ctx.json(new PageView(text, page.hits().stream().map(NodeView::of).toList(), page.next()));
    }

    /** {@code GET /api/devices/{endpoint}/history?path=…&from=…&to=…[&buckets=N][&limit=N]}. */
    void history(Context ctx) {
        String endpoint = ctx.pathParam("endpoint");
        if (platform.world().device(endpoint).isEmpty()) {
            throw ApiException.notFound("no device '" + endpoint + "' is provisioned");
        }
        String pathText = ctx.queryParam("path");
        if (pathText == null || pathText.isBlank()) {
            throw ApiException.badRequest("query parameter 'path' is required, e.g. path=/3303/0/5700");
        }
        ResourcePath path = GraphApi.guard(() -> ResourcePath.parse(pathText));
        Instant to = time(ctx, "to", Instant.now());
        Instant from = time(ctx, "from", to.minus(java.time.Duration.ofHours(24)));
        NodeKey key = NodeKey.resource(endpoint, path);
        HistoryStore history = services().history();
        if (ctx.queryParam("buckets") != null) {
            int buckets = intParam(ctx, "buckets", 100);
            List<BucketView> result = GraphApi.guard(() -> history.buckets(key, from, to, buckets)).stream()
                    .map(BucketView::of).toList();
            ctx.json(new HistoryView(key.value(), from, to, null, HistoryStore.bucketWidth(from, to, buckets).toString(),
                    result));
            return;
        }
        int limit = intParam(ctx, "limit", 1000);
        List<PointView> points = GraphApi.guard(() -> history.points(key, from, to, limit)).stream()
                .map(PointView::of).toList();
        ctx.json(new HistoryView(key.value(), from, to, points, null, null));
    }

    void models(Context ctx) {
        ctx.json(Map.of("objects", services().models().objects().stream().map(ObjectSummaryView::of).toList()));
    }

    void model(Context ctx) {
        int id = intPath(ctx, "id");
        List<ObjectModel> versions = services().models().objects().stream().filter(model -> model.id() == id).toList();
        if (versions.isEmpty()) {
            throw ApiException.notFound("no model of object " + id + " is loaded; resources of such objects are kept "
                    + "as raw values and flagged unknown");
        }
        ctx.json(Map.of("versions", versions));
    }

    void listViews(Context ctx) {
        ctx.json(Map.of("views", services().views().views().stream().map(ViewDefinitionView::of).toList()));
    }

    void putView(Context ctx) {
        String name = ctx.pathParam("name");
        ViewBody body = Json.parse(ctx.body(), ViewBody.class);
        if (body.query() == null || body.query().isBlank()) {
            throw ApiException.badRequest("field 'query' is required, e.g. \"within 1 of zone/hq/floor-2 and path=*/3303/*/5700\"");
        }
        boolean existed = services().views().view(name).isPresent();
        ViewDefinition view = GraphApi.guard(() -> services().views().define(name, body.query(), body.description()));
        ctx.status(existed ? 200 : 201).json(ViewDefinitionView.of(view));
    }

    /** The view's current result, paged like a query, with the sequence it is current at. */
    void getView(Context ctx) {
        ViewDefinition view = requireView(ctx.pathParam("name"));
        int limit = intParam(ctx, "limit", DEFAULT_PAGE);
        String after = GraphApi.blank(ctx.queryParam("after"));
        long seq = services().maintainer().progress();
        List<NodeKey> members = services().views().members(view.name()).stream()
                .filter(key -> after == null || key.value().compareTo(after) > 0).limit(limit + 1L).toList();
        String next = members.size() > limit ? members.get(limit - 1).value() : null;
        List<NodeView> items = services().queries().hydrate(members.stream().limit(limit).toList()).stream()
                .map(NodeView::of).toList();
        ctx.json(new ViewResultView(ViewDefinitionView.of(view), seq, items, next));
    }

    void deleteView(Context ctx) {
        if (!services().views().delete(ctx.pathParam("name"))) {
            throw ApiException.notFound("no view '" + ctx.pathParam("name") + "'");
        }
        ctx.status(204);
    }

    ViewDefinition requireView(String name) {
        return services().views().view(name).orElseThrow(() -> ApiException.notFound("no view '" + name
                + "'; define it with PUT /api/views/" + name));
    }

    private WorldServices services() {
        return platform.services();
    }

    private static Instant time(Context ctx, String name, Instant fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be an ISO-8601 time such as "
                    + "2026-11-23T10:00:00Z, not '" + text + "'");
        }
    }

    static int intParam(Context ctx, String name, int defaultValue) {
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

    private static int intPath(Context ctx, String name) {
        try {
            return Integer.parseInt(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + ctx.pathParam(name) + "' is not an object id");
        }
    }
}
