package org.orbis.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import org.orbis.console.platform.OrbisPlatform;
import org.orbis.world.graph.Device;

/** Small checks shared by the API's handlers, each failing with a 4xx problem that names what is wrong. */
final class Requests {

    private Requests() {
    }

    static Device requireDevice(OrbisPlatform platform, String endpoint) {
        return platform.world().device(endpoint).orElseThrow(() -> ApiException.notFound("no device '" + endpoint
                + "' is provisioned; create it with POST /api/devices"));
    }

    static String requirePath(String path) {
        if (path == null || path.isBlank()) {
            throw ApiException.badRequest("field 'path' is required, e.g. \"/3303/0/5700\"");
        }
        return path;
    }

    /** A JSON scalar as Boolean, Number or String. */
    static Object scalar(JsonNode value, String field) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw ApiException.badRequest("field '" + field + "' is required");
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
        throw ApiException.badRequest("field '" + field + "' must be a boolean, a number or a string, not "
                + value.getNodeType());
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
}
