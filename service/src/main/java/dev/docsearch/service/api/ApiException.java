package dev.docsearch.service.api;

/**
 * A request the service refuses, with the HTTP status, a message for the caller and the offending field
 * (null when no single field is to blame). Rendered as {@code {"error": ..., "field": ...}}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    public ApiException(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, message, field);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
