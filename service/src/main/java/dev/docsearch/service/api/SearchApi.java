package dev.docsearch.service.api;

import dev.docsearch.core.search.SearchRequest;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Locale;

/**
 * {@code GET /api/search} (the JSON API) and {@code POST /search} (the original prototype's contract, kept for
 * its clients).
 */
public final class SearchApi {

    /** The request attribute naming the release that answered, for the access log. */
    public static final String RELEASE_ATTRIBUTE = "docsearch.release";

    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final LiveSearch search;

    public SearchApi(LiveSearch search) {
        this.search = search;
    }

    /** {@code GET /api/search?q=&k=&mode=&guide=&fusion=&alpha=}. */
    public void get(Context ctx) {
        long start = System.nanoTime();
        SearchRequest request = SearchParameters.fromQueryParameters(queryParameters(ctx), true);
        answer(ctx, request, start);
    }

    /** {@code POST /search} with {@code {"query", "top_k", "alpha"}}. */
    public void post(Context ctx) {
        long start = System.nanoTime();
        requireJson(ctx.header("Content-Type"));
        SearchRequest request = SearchParameters.fromPrototypeBody(Json.parse(RequestBody.of(ctx)));
        answer(ctx, request, start);
    }

    private void answer(Context ctx, SearchRequest request, long start) {
        LiveSearch.Answer answer = search.search(request);
        ctx.attribute(RELEASE_ATTRIBUTE, answer.response().releaseId());
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, 200, SearchResultBody.of(request, answer.response(), System.nanoTime() - start));
    }

    /**
     * Refuses (415) a body that is not JSON in UTF-8. The header is parsed here, not by Jetty, whose charset
     * lookup throws on a name it does not know ({@code charset=foo}) and would make that a 500. JSON is UTF-8
     * (RFC 8259), so the only charset accepted is UTF-8; no header at all is taken as JSON.
     */
    static void requireJson(String contentType) {
        if (contentType == null) {
            return;
        }
        String[] parts = contentType.split(";");
        String media = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new ApiException(415, "the body must be JSON (Content-Type: application/json), was '"
                    + SearchParameters.abbreviate(contentType) + "'", null);
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].strip().equalsIgnoreCase("charset")) {
                String charset = param.length > 1 ? param[1].strip().replace("\"", "") : "";
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new ApiException(415, "the body must be JSON in UTF-8; charset '"
                            + SearchParameters.abbreviate(charset) + "' is not accepted", null);
                }
            }
        }
    }

    /** The query string's parameters; broken percent-encoding is the caller's fault (400), not ours. */
    public static Map<String, List<String>> queryParameters(Context ctx) {
        String raw = ctx.queryString();
        if (raw != null) {
            // Jetty silently drops a parameter whose escape is broken; say so instead of "q is required".
            Matcher broken = BROKEN_ESCAPE.matcher(raw);
            if (broken.find()) {
                throw ApiException.badRequest(null, "the query string has a broken percent-escape at character "
                        + (broken.start() + 1) + " (a '%' must be followed by two hex digits)");
            }
        }
        try {
            return ctx.queryParamMap();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(null, "the query string is not valid URL encoding: "
                    + SearchParameters.abbreviate(String.valueOf(e.getMessage())));
        }
    }
}
