package dev.docsearch.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** JSON in and out of the API, with one configured mapper. */
public final class Json {

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // A request body is small; deep nesting is an attack, not a query.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** Writes {@code body} as the response with {@code status}, through Javalin's mapper (this one, installed). */
    public static void send(Context ctx, int status, Object body) {
        ctx.status(status).json(body).contentType(CONTENT_TYPE);
    }

    /** Parses a request body; malformed JSON is the caller's fault (400), with the parser's reason. */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest(null, "the body is empty; send a JSON object like {\"query\": \"...\"}");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest(null, "the body cannot be read: " + e.getMessage());
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
