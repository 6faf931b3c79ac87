package dev.docsearch.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docsearch.core.search.Fusion;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.suggest.HeadingSuggester;
import io.javalin.validation.Validation;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules every way of asking shares (JSON API, the prototype's {@code POST /search}, the HTML page): what a
 * query may be, the range of {@code k}, the modes. Input is turned into a {@link SearchRequest} or refused
 * with an {@link ApiException} that names the field.
 *
 * <p>A query is cleaned before it is checked: control characters become spaces (they mean nothing to a
 * search and confuse logs) and unpaired UTF-16 surrogates, which JSON escapes can produce, become U+FFFD
 * (the tokenizers expect well-formed text).
 */
public final class SearchParameters {

    public static final int MAX_QUERY_CHARS = 512;
    public static final int MAX_GUIDE_CHARS = 200;
    public static final int DEFAULT_K = 10;
    /** Parameters of {@code GET /api/search}. */
    public static final Set<String> API_PARAMETERS = Set.of("q", "k", "mode", "guide", "fusion", "alpha", "page");

    /** Javalin's validators with its default converters (Integer, Double...), for values read here. */
    private static final Validation VALIDATION = new Validation();
    private static final String TYPE_CONVERSION_FAILED = "TYPE_CONVERSION_FAILED";
    /** What each numeric parameter takes, for the refusal of a value that is no number at all. */
    private static final Map<String, String> NUMBERS = Map.of("k", "a whole number in 1.." + SearchRequest.MAX_K,
            "page", "a whole number in 1.." + SearchRequest.MAX_PAGE, "alpha", "a number in 0..1",
            "n", "a whole number in 1.." + HeadingSuggester.MAX_SUGGESTIONS);

    private SearchParameters() {
    }

    /**
     * Reads {@code q, k, mode, guide, fusion, alpha, page} from a query string's parameters.
     *
     * @param strict refuse parameters other than those (the JSON API does, so typos show; the HTML page
     *               ignores them)
     */
    public static SearchRequest fromQueryParameters(Map<String, List<String>> params, boolean strict) {
        if (strict) {
            for (String name : params.keySet()) {
                if (!API_PARAMETERS.contains(name)) {
                    throw ApiException.badRequest(printable(name), "unknown parameter '" + printable(name)
                            + "' (known: " + String.join(", ", new TreeSet<>(API_PARAMETERS)) + ")");
                }
            }
        }
        String q = single(params, "q");
        if (q == null) {
            throw ApiException.badRequest("q", "q is required: the text to search for");
        }
        String query = query(q, "q");
        int k = DEFAULT_K;
        String kText = single(params, "k");
        if (kText != null) {
            k = k(kText.strip());
        }
        SearchMode mode = SearchMode.HYBRID;
        String modeText = single(params, "mode");
        if (modeText != null && !modeText.isBlank()) {
            mode = mode(modeText);
        }
        String guide = guide(single(params, "guide"));
        String alphaText = single(params, "alpha");
        boolean alphaGiven = alphaText != null && !alphaText.isBlank();
        double alpha = alphaGiven ? alpha(alphaText.strip()) : 0.5;
        // alpha alone asks for the prototype's linear blend, as its clients send it.
        Fusion fusion = alphaGiven ? new Fusion.Linear(alpha) : Fusion.AUTO;
        String fusionText = single(params, "fusion");
        if (fusionText != null && !fusionText.isBlank()) {
            fusion = switch (fusionText.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> Fusion.AUTO;
                case "rrf" -> Fusion.RRF;
                case "linear" -> new Fusion.Linear(alpha);
                case "convex" -> new Fusion.Convex(alphaGiven ? alpha : Fusion.Auto.TERMS_ALPHA);
                default -> throw ApiException.badRequest("fusion", "fusion must be auto, rrf, linear or convex; was '"
                        + abbreviate(fusionText) + "'");
            };
        }
        String pageText = single(params, "page");
        int page = pageText == null || pageText.isBlank() ? 1 : page(pageText.strip());
        return new SearchRequest(query, k, mode, fusion, guide, page);
    }

    /** A page number, 1.. {@value SearchRequest#MAX_PAGE}. */
    public static int page(String text) {
        return wholeNumber("page", text, SearchRequest.MAX_PAGE);
    }

    /**
     * A parameter that must be a whole number in 1..max, checked by Javalin's validator.
     *
     * @throws ValidationException naming the field; {@link #refusal} words it (no number, or out of range)
     */
    static int wholeNumber(String field, String text, int max) {
        return VALIDATION.validator(field, Integer.class, text)
                .check(v -> v >= 1 && v <= max, field + " must be in 1.." + max + "; was " + abbreviate(text))
                .get();
    }

    /**
     * The refusal a failed validation is: 400 naming the first field at fault. Javalin words a value that is no
     * number at all as {@code TYPE_CONVERSION_FAILED}; that becomes "{@code <field>} must be a whole number in
     * 1..100; was 'x'", as the range check words the rest.
     */
    public static ApiException refusal(ValidationException e) {
        for (Map.Entry<String, List<ValidationError<Object>>> field : e.getErrors().entrySet()) {
            for (ValidationError<Object> error : field.getValue()) {
                String message = error.getMessage();
                if (message.equals(TYPE_CONVERSION_FAILED)) {
                    message = field.getKey() + " must be " + NUMBERS.getOrDefault(field.getKey(), "a number")
                            + "; was '" + abbreviate(String.valueOf(error.value)) + "'";
                }
                return ApiException.badRequest(field.getKey(), message);
            }
        }
        return ApiException.badRequest(null, "the request is not valid");
    }

    /**
     * Reads the original prototype's body {@code {"query": str, "top_k": int, "alpha": float}}: hybrid search,
     * the linear blend when {@code alpha > 0}, reciprocal rank fusion otherwise. Other fields are ignored, as
     * the prototype did.
     */
    public static SearchRequest fromPrototypeBody(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "the body must be a JSON object like {\"query\": \"...\", \"top_k\": 10}");
        }
        JsonNode q = body.get("query");
        if (q == null || q.isNull()) {
            throw ApiException.badRequest("query", "query is required: the text to search for");
        }
        if (!q.isTextual()) {
            throw ApiException.badRequest("query", "query must be a string, was " + kind(q));
        }
        String query = query(q.textValue(), "query");
        int k = DEFAULT_K;
        JsonNode topK = body.get("top_k");
        if (topK != null && !topK.isNull()) {
            if (!topK.isNumber() || !topK.canConvertToExactIntegral() || !topK.canConvertToInt()) {
                throw ApiException.badRequest("top_k", "top_k must be a whole number in 1.." + SearchRequest.MAX_K
                        + ", was " + kind(topK));
            }
            k = topK.intValue();
            if (k < 1 || k > SearchRequest.MAX_K) {
                throw ApiException.badRequest("top_k", "top_k must be in 1.." + SearchRequest.MAX_K + ", was " + k);
            }
        }
        double alpha = 0;
        JsonNode a = body.get("alpha");
        if (a != null && !a.isNull()) {
            if (!a.isNumber()) {
                throw ApiException.badRequest("alpha", "alpha must be a number in 0..1, was " + kind(a));
            }
            alpha = a.doubleValue();
            if (!(alpha >= 0 && alpha <= 1)) {
                throw ApiException.badRequest("alpha", "alpha must be in 0..1, was " + a.asText());
            }
        }
        return alpha > 0
                ? new SearchRequest(query, k, SearchMode.HYBRID, new Fusion.Linear(alpha), null)
                : new SearchRequest(query, k, SearchMode.HYBRID, Fusion.AUTO, null);
    }

    /** Cleans and checks a query: at most {@value #MAX_QUERY_CHARS} characters, not blank. */
    public static String query(String raw, String field) {
        int length = raw.codePointCount(0, raw.length());
        if (length > MAX_QUERY_CHARS) {
            throw ApiException.badRequest(field, field + " is " + length + " characters long; at most "
                    + MAX_QUERY_CHARS + " are allowed");
        }
        String clean = clean(raw).strip();
        if (clean.isEmpty()) {
            throw ApiException.badRequest(field, field + " must not be empty or only whitespace");
        }
        return clean;
    }

    public static int k(String text) {
        return wholeNumber("k", text, SearchRequest.MAX_K);
    }

    public static SearchMode mode(String text) {
        try {
            return SearchMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("mode", "mode must be one of hybrid, keyword, semantic; was '"
                    + abbreviate(text) + "'");
        }
    }

    /** A guide id to filter by, or null for all guides. */
    public static String guide(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String g = clean(text).strip();
        if (g.length() > MAX_GUIDE_CHARS) {
            throw ApiException.badRequest("guide", "guide is longer than " + MAX_GUIDE_CHARS + " characters");
        }
        return g.isEmpty() ? null : g;
    }

    private static double alpha(String text) {
        return VALIDATION.validator("alpha", Double.class, text)
                .check(a -> a >= 0 && a <= 1, "alpha must be in 0..1; was " + abbreviate(text))
                .get();
    }

    /** The one value of a parameter, or null when it is absent; 400 when it is given more than once. */
    static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name, name + " is given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    /** Control characters to spaces, unpaired surrogates to U+FFFD. */
    public static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char replacement = c;
            if (Character.isISOControl(c)) {
                replacement = ' ';
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (sb != null) {
                        sb.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                replacement = '\uFFFD';
            } else if (Character.isLowSurrogate(c)) {
                replacement = '\uFFFD';
            }
            if (replacement != c && sb == null) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(replacement);
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static String kind(JsonNode n) {
        return n.isTextual() ? "a string" : n.isBoolean() ? "a boolean" : n.isArray() ? "an array"
                : n.isObject() ? "an object" : n.isNumber() ? n.asText() : n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /**
     * A query as a log may keep it: control characters as spaces (no forged log lines), cut to {@code max} code
     * points with "..." when longer, quotes escaped so it can sit inside {@code q="..."}.
     */
    public static String forLog(String q, int max) {
        String c = clean(q);
        if (c.codePointCount(0, c.length()) > max) {
            c = c.substring(0, c.offsetByCodePoints(0, max)) + "...";
        }
        return c.replace("\"", "\\\"");
    }

    /** A value quoted back in an error: cleaned and cut short. */
    public static String abbreviate(String s) {
        String c = clean(s);
        // Cut on a code point boundary: half a surrogate pair cannot be written as JSON.
        return c.codePointCount(0, c.length()) > 40 ? c.substring(0, c.offsetByCodePoints(0, 40)) + "..." : c;
    }

    private static String printable(String name) {
        return abbreviate(name);
    }
}
