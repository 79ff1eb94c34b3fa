package org.orbis.console.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orbis.world.entities.GraphImport;
import org.orbis.world.entities.GraphImport.EdgeItem;
import org.orbis.world.entities.GraphImport.EntityItem;
import org.orbis.world.entities.GraphImport.Problem;

/**
 * Reads a bulk-import body, remembering the line each item starts on so that every problem can say where it is:
 * <pre>
 * {"entities": [{"key": "site/hq", "label": "HQ", "attributes": {"city": "Lyon"}}, …],
 *  "edges":    [{"from": "device/s1", "kind": "in", "to": "zone/hq/floor-2", "exclusive": true}, …]}
 * </pre>
 */
final class ImportBody {

    private static final Set<String> ENTITY_FIELDS = Set.of("key", "label", "attributes");
    private static final Set<String> EDGE_FIELDS = Set.of("from", "kind", "to", "exclusive");

    private ImportBody() {
    }

    /** @throws ApiException 400 for malformed JSON, 422 with every item problem */
    static GraphImport parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("the request body is empty; send {\"entities\": […], \"edges\": […]}");
        }
        List<EntityItem> entities = new ArrayList<>();
        List<EdgeItem> edges = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("the import must be a JSON object with \"entities\" and/or \"edges\" arrays");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (!field.equals("entities") && !field.equals("edges")) {
                    throw ApiException.badRequest("unknown field '" + field + "' at line " + line(parser)
                            + "; an import has \"entities\" and \"edges\"");
                }
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw ApiException.badRequest("\"" + field + "\" must be an array (line " + line(parser) + ")");
                }
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String where = field + "[" + index++ + "] (line " + line(parser) + ")";
                    JsonNode item = Json.MAPPER.readTree(parser);
                    try {
                        if (field.equals("entities")) {
                            entities.add(entity(where, item));
                        } else {
                            edges.add(edge(where, item));
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(new Problem(where, e.getMessage()));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw ApiException.badRequest("the import is not valid JSON" + at + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("the import could not be read: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw rejected(problems);
        }
        return new GraphImport(entities, edges);
    }

    static ApiException rejected(List<Problem> problems) {
        List<Map<String, String>> errors = problems.stream().map(problem -> Map.of("item", problem.where(),
                "detail", problem.detail())).toList();
        return new ApiException(422, "Import rejected", problems.size() + " item(s) are wrong, so nothing was imported; "
                + "first: " + problems.get(0).where() + ": " + problems.get(0).detail(), Map.of("errors", errors));
    }

    private static EntityItem entity(String where, JsonNode item) {
        requireObject(item, ENTITY_FIELDS);
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode given = item.path("attributes");
        if (!given.isMissingNode() && !given.isNull()) {
            if (!given.isObject()) {
                throw new IllegalArgumentException("\"attributes\" must be an object of text values");
            }
            given.fields().forEachRemaining(field -> {
                if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                    throw new IllegalArgumentException("attribute '" + field.getKey() + "' must be a text, number or boolean");
                }
                attributes.put(field.getKey(), field.getValue().asText());
            });
        }
        return new EntityItem(where, text(item, "key", true), text(item, "label", false), attributes);
    }

    private static EdgeItem edge(String where, JsonNode item) {
        requireObject(item, EDGE_FIELDS);
        JsonNode exclusive = item.path("exclusive");
        if (!exclusive.isMissingNode() && !exclusive.isBoolean()) {
            throw new IllegalArgumentException("\"exclusive\" must be true or false");
        }
        return new EdgeItem(where, text(item, "from", true), text(item, "kind", true), text(item, "to", true),
                exclusive.asBoolean(false));
    }

    private static void requireObject(JsonNode item, Set<String> fields) {
        if (!item.isObject()) {
            throw new IllegalArgumentException("must be an object, not " + item.getNodeType().name().toLowerCase());
        }
        item.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; known fields: " + fields);
            }
        });
    }

    private static String text(JsonNode item, String field, boolean required) {
        JsonNode value = item.path(field);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("field '" + field + "' is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }
}
