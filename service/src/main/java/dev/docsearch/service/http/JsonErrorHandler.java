package dev.docsearch.service.http;

import dev.docsearch.service.api.ErrorBody;
import dev.docsearch.service.api.Json;
import dev.docsearch.service.api.SearchParameters;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's own refusals (a malformed request line, a URI or headers too long, an unknown HTTP version) answered
 * like every other error of the API: {@code {"error", "field"}} as JSON, with the security headers, and never a
 * stack trace or Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final int MAX_REASON = 200;

    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Every method gets the JSON body and headers: Jetty's default answers only GET, POST and HEAD with a page. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** Errors found before a request exists (the parser's): the body Jetty sends, with its headers. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        SecurityHeaders.apply(fields::put);
        fields.put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    /** Errors of a request Jetty could parse but not route (or that failed before a handler ran). */
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        SecurityHeaders.apply(headers::put);
        headers.put(new HttpField(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE));
        headers.put(ERROR_CACHE_CONTROL);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int status, String reason) {
        String text = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : SearchParameters.clean(reason);
        if (text.length() > MAX_REASON) {
            text = text.substring(0, MAX_REASON) + "...";
        }
        try {
            return Json.mapper().writeValueAsBytes(new ErrorBody("the request was refused (" + status + "): " + text, null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an error body cannot be written", e);
        }
    }
}
