package dev.docsearch.service.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.docsearch.core.suggest.HeadingSuggester;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/suggest?q=prefix&n=8}: completions for the search box from the live release's page titles and
 * section headings. Refuses (400, with the field) a missing or blank {@code q}, one longer than
 * {@value #MAX_PREFIX_CHARS} characters, an {@code n} outside 1..{@value HeadingSuggester#MAX_SUGGESTIONS}, and
 * unknown parameters.
 */
public final class SuggestApi {

    /** Completions are for what is being typed; a longer text is a query, not a prefix. */
    public static final int MAX_PREFIX_CHARS = 100;
    private static final Set<String> PARAMETERS = Set.of("q", "n");

    private final LiveSearch search;

    public SuggestApi(LiveSearch search) {
        this.search = search;
    }

    /**
     * The answer.
     *
     * @param query       the prefix as received (control characters removed, trimmed at the start)
     * @param release     the release that answered
     * @param tookMs      server-side time for the lookup
     * @param suggestions at most n, best first
     */
    @JsonPropertyOrder({"query", "release", "took_ms", "suggestions"})
    public record Body(String query, String release, @JsonProperty("took_ms") double tookMs,
                       List<Suggestion> suggestions) {
    }

    /** One completion: its text and whether it is a page title or a section heading. */
    public record Suggestion(String text, String kind) {
    }

    public void get(Context ctx) {
        long start = System.nanoTime();
        Map<String, List<String>> params = SearchApi.queryParameters(ctx);
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                String shown = SearchParameters.abbreviate(name);
                throw ApiException.badRequest(shown, "unknown parameter '" + shown + "' (known: "
                        + String.join(", ", new TreeSet<>(PARAMETERS)) + ")");
            }
        }
        String q = SearchParameters.single(params, "q");
        if (q == null) {
            throw ApiException.badRequest("q", "q is required: the text typed so far");
        }
        int length = q.codePointCount(0, q.length());
        if (length > MAX_PREFIX_CHARS) {
            throw ApiException.badRequest("q", "q is " + length + " characters long; suggestions take at most "
                    + MAX_PREFIX_CHARS);
        }
        // Leading spaces mean nothing; a trailing one does (the last word is complete), so it stays.
        String prefix = SearchParameters.clean(q).stripLeading();
        if (prefix.isBlank()) {
            throw ApiException.badRequest("q", "q must not be empty or only whitespace");
        }
        String nText = SearchParameters.single(params, "n");
        int n = nText == null ? HeadingSuggester.MAX_SUGGESTIONS
                : SearchParameters.wholeNumber("n", nText.strip(), HeadingSuggester.MAX_SUGGESTIONS);
        LiveSearch.Completions found = search.suggest(prefix, n);
        ctx.attribute(SearchApi.RELEASE_ATTRIBUTE, found.releaseId());
        List<Suggestion> out = new ArrayList<>(found.suggestions().size());
        for (HeadingSuggester.Suggestion s : found.suggestions()) {
            out.add(new Suggestion(s.text(), s.kind().name().toLowerCase(Locale.ROOT)));
        }
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, 200, new Body(prefix, found.releaseId(), Math.round((System.nanoTime() - start) / 1000.0) / 1000.0,
                out));
    }
}
