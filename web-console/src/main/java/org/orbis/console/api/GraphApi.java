package org.orbis.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.orbis.console.api.NodeViews.EdgeView;
import org.orbis.console.api.NodeViews.EntityDetailView;
import org.orbis.console.api.NodeViews.NodeView;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.world.entities.EntityDraft;
import org.orbis.world.entities.EntityStore;
import org.orbis.world.entities.GraphException;
import org.orbis.world.entities.GraphImport;
import org.orbis.world.graph.Entity;
import org.orbis.world.graph.NodeKey;

/**
 * Handlers of {@code /api/entities}, {@code /api/edges} and {@code /api/import}: the operator's part of the graph.
 * Entity keys contain slashes ({@code zone/hq/floor-2}) and are taken from the rest of the path.
 */
final class GraphApi {

    private static final int DEFAULT_PAGE = 100;

    private final OrbisPlatform platform;

    GraphApi(OrbisPlatform platform) {
        this.platform = platform;
    }

    record EntityBody(String label, JsonNode attributes, Long revision) {
    }

    record EdgeBody(String from, String kind, String to, Boolean exclusive) {
    }

    void listEntities(Context ctx) {
        int limit = WorldApi.intParam(ctx, "limit", DEFAULT_PAGE);
        if (limit < 1 || limit > EntityStore.MAX_PAGE) {
            throw ApiException.badRequest("limit must be between 1 and " + EntityStore.MAX_PAGE + ", was " + limit);
        }
        var page = guard(() -> store().entities(blank(ctx.queryParam("kind")), blank(ctx.queryParam("after")), limit + 1));
        String next = page.size() > limit ? page.get(limit - 1).key().value() : null;
        ctx.json(new NodeViews.PageView(null, page.stream().limit(limit).map(NodeView::of).toList(), next));
    }

    void getEntity(Context ctx) {
        NodeKey key = entityKey(ctx);
        Entity entity = store().entity(key).orElseThrow(() -> ApiException.notFound("no entity '" + key
                + "'; create it with PUT /api/entities/" + key));
        ctx.json(new EntityDetailView(NodeView.of(entity),
                store().edges(key, null, EntityStore.MAX_PAGE).stream().map(EdgeView::of).toList()));
    }

    /** Creates or updates; {@code revision} in the body (or If-Match) makes it conditional. */
    void putEntity(Context ctx) {
        NodeKey key = entityKey(ctx);
        EntityBody body = Json.parse(ctx.body(), EntityBody.class);
        Map<String, String> attributes = new LinkedHashMap<>();
        if (body.attributes() != null && !body.attributes().isNull()) {
            if (!body.attributes().isObject()) {
                throw ApiException.badRequest("field 'attributes' must be an object of text values");
            }
            body.attributes().fields().forEachRemaining(field -> attributes.put(field.getKey(), field.getValue().asText()));
        }
        Long expected = body.revision() != null ? body.revision() : ifMatch(ctx);
        EntityDraft draft = guard(() -> new EntityDraft(key, body.label(), attributes));
        Entity entity = guard(() -> store().put(draft, expected));
        ctx.status(entity.revision() == 1 ? 201 : 200).header("ETag", "\"" + entity.revision() + "\"")
                .json(NodeView.of(entity));
    }

    void deleteEntity(Context ctx) {
        NodeKey key = entityKey(ctx);
        Long expected = ctx.queryParam("revision") != null ? Long.valueOf(WorldApi.intParam(ctx, "revision", 0))
                : ifMatch(ctx);
        ctx.json(NodeView.of(guard(() -> store().delete(key, expected))));
    }

    void listEdges(Context ctx) {
        String node = blank(ctx.queryParam("node"));
        NodeKey key = node == null ? null : guard(() -> NodeKey.parse(node));
        int limit = WorldApi.intParam(ctx, "limit", EntityStore.MAX_PAGE);
        ctx.json(Map.of("edges", guard(() -> store().edges(key, blank(ctx.queryParam("kind")), limit)).stream()
                .map(EdgeView::of).toList()));
    }

    void link(Context ctx) {
        EdgeBody body = Json.parse(ctx.body(), EdgeBody.class);
        NodeKey from = guard(() -> NodeKey.parse(required(body.from(), "from")));
        NodeKey to = guard(() -> NodeKey.parse(required(body.to(), "to")));
        String kind = required(body.kind(), "kind");
        boolean created = guard(() -> store().link(from, kind, to, Boolean.TRUE.equals(body.exclusive())));
        ctx.status(created ? 201 : 200).json(Map.of("from", from.value(), "kind", kind, "to", to.value(),
                "created", created));
    }

    void unlink(Context ctx) {
        NodeKey from = guard(() -> NodeKey.parse(required(ctx.queryParam("from"), "from")));
        NodeKey to = guard(() -> NodeKey.parse(required(ctx.queryParam("to"), "to")));
        String kind = required(ctx.queryParam("kind"), "kind");
        if (!store().unlink(from, kind, to)) {
            throw ApiException.notFound("no edge " + from + " -" + kind + "-> " + to);
        }
        ctx.status(204);
    }

    void importGraph(Context ctx) {
        GraphImport graph = ImportBody.parse(ctx.body());
        GraphImport.Summary summary;
        try {
            summary = store().importGraph(graph);
        } catch (GraphImport.RejectedException e) {
            throw ImportBody.rejected(e.problems());
        }
        ctx.json(summary);
    }

    private EntityStore store() {
        return platform.services().entities();
    }

    private static NodeKey entityKey(Context ctx) {
        String key = ctx.pathParam("key");
        NodeKey parsed = guard(() -> NodeKey.parse(key));
        if (!parsed.isEntity()) {
            throw ApiException.badRequest("'" + key + "' is a device key; devices live under /api/devices");
        }
        return parsed;
    }

    private static Long ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.replace("\"", "").strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("If-Match must be an entity revision such as \"3\", not " + header);
        }
    }

    static String blank(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return value;
    }

    /** Runs a world-model call, turning its refusals into problems with the right status. */
    static <T> T guard(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (GraphException e) {
            throw switch (e.reason()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case REVISION_CONFLICT -> new ApiException(412, "Revision conflict", e.getMessage());
                case INVALID -> ApiException.badRequest(e.getMessage());
            };
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
