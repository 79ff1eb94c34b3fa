package org.orbis.console.api;

import java.util.Map;

/**
 * An error the API reports as {@code application/problem+json}: an HTTP status, a short title and a human detail that
 * says what was wrong and what to do, plus optional extra members (e.g. the device's response code).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, Object> extras;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public ApiException(int status, String title, String detail, Map<String, Object> extras) {
        super(detail);
        this.status = status;
        this.title = title;
        this.extras = Map.copyOf(extras);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extras() {
        return extras;
    }
}
