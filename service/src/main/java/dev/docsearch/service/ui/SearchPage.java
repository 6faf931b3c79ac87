package dev.docsearch.service.ui;

import dev.docsearch.core.search.SearchHit;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.search.SearchResponse;
import dev.docsearch.service.api.ApiException;
import dev.docsearch.service.api.GuideLabels;
import dev.docsearch.service.api.LiveSearch;
import dev.docsearch.service.api.SearchApi;
import dev.docsearch.service.api.SearchParameters;
import dev.docsearch.service.api.SearchResultBody;
import io.javalin.http.Context;
import io.javalin.validation.ValidationException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /}: the search page, rendered on the server so it works without JavaScript. The query lives in the
 * URL ({@code /?q=...&mode=...&guide=...}), so results are linkable and the back button works. Everything
 * taken from the request or the index is escaped; snippets come HTML-safe from the core with terms in
 * {@code <mark>}.
 */
public final class SearchPage {

    static final List<String> EXAMPLES = List.of("s3 bucket versioning", "lambda function timeout",
            "ec2 instance types memory", "iam policy for s3:PutObject", "dynamodb throttling retries");

    private final LiveSearch search;

    public SearchPage(LiveSearch search) {
        this.search = search;
    }

    public void get(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String rawQuery = null;
        SearchMode mode = SearchMode.HYBRID;
        try {
            Map<String, List<String>> params = SearchApi.queryParameters(ctx);
            List<String> qs = params.get("q");
            rawQuery = qs == null || qs.isEmpty() ? null : qs.get(0);
            String m = first(params, "mode");
            if (m != null && !m.isBlank()) {
                mode = SearchParameters.mode(m);
            }
            if (rawQuery == null || rawQuery.isBlank()) {
                send(ctx, 200, page("", mode, null, home()));
                return;
            }
            SearchRequest request = SearchParameters.fromQueryParameters(params, false);
            LiveSearch.Answer answer = search.search(request);
            ctx.attribute(SearchApi.RELEASE_ATTRIBUTE, answer.response().releaseId());
            send(ctx, 200, page(request.query(), request.mode(), answer.response().releaseId(),
                    results(request, answer)));
        } catch (ApiException | ValidationException e) {
            ApiException refusal = e instanceof ValidationException v ? SearchParameters.refusal(v) : (ApiException) e;
            String q = rawQuery == null ? "" : displayQuery(rawQuery);
            send(ctx, refusal.status(), page(q, mode, null, problem(refusal)));
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A query shown back in the search box: what the user typed, cut to the allowed length. */
    private static String displayQuery(String raw) {
        int n = raw.codePointCount(0, raw.length());
        String cut = n > SearchParameters.MAX_QUERY_CHARS
                ? raw.substring(0, raw.offsetByCodePoints(0, SearchParameters.MAX_QUERY_CHARS)) : raw;
        return SearchParameters.clean(cut);
    }

    private static void send(Context ctx, int status, String html) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(html);
    }

    private String page(String query, SearchMode mode, String answeredBy, String main) {
        StringBuilder sb = new StringBuilder(8192);
        String title = query.isEmpty() ? "docsearch · AWS documentation search" : query + " · docsearch";
        sb.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(HtmlText.escape(title)).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/assets/app.css\">\n")
                .append("<script src=\"/assets/app.js\" defer></script>\n</head>\n<body>\n")
                .append("<header class=\"top\">\n<a class=\"brand\" href=\"/\">doc<span>search</span></a>\n")
                .append("<form class=\"search\" action=\"/\" method=\"get\" role=\"search\">\n")
                .append("<input id=\"q\" type=\"search\" name=\"q\" value=\"").append(HtmlText.escape(query))
                .append("\" placeholder=\"Search the AWS docs\" aria-label=\"Search the AWS documentation\" ")
                .append("aria-describedby=\"keys\" ")
                .append("maxlength=\"").append(SearchParameters.MAX_QUERY_CHARS).append("\" autocomplete=\"off\" autofocus>\n");
        if (mode != SearchMode.HYBRID) {
            sb.append("<input type=\"hidden\" name=\"mode\" value=\"").append(mode.label()).append("\">\n");
        }
        sb.append("<button type=\"submit\">Search</button>\n")
                .append("<ul id=\"suggestions\" class=\"suggestions\" aria-label=\"Suggestions\" hidden></ul>\n</form>\n");
        sb.append("<p class=\"hint\" id=\"keys\">Press <kbd>/</kbd> to search; <kbd>\u2191</kbd> <kbd>\u2193</kbd> ")
                .append("move through results, <kbd>Enter</kbd> opens one</p>\n</header>\n");
        sb.append("<main id=\"main\" aria-live=\"polite\" aria-busy=\"false\">\n").append(main).append("</main>\n");
        String live = answeredBy != null ? answeredBy : search.liveId().orElse(null);
        sb.append("<footer>\n");
        if (live != null) {
            sb.append("release <code id=\"release\">").append(HtmlText.escape(live)).append("</code>");
        } else {
            sb.append("no release loaded");
        }
        sb.append(" · <a href=\"/health\">health</a> · <a href=\"/metrics\">metrics</a>");
        if (!query.isEmpty()) {
            sb.append(" · <a href=\"").append(HtmlText.escape("/api/search?" + queryString(query, mode, null, 0)))
                    .append("\">JSON</a>");
        }
        sb.append("\n</footer>\n</body>\n</html>\n");
        return sb.toString();
    }

    private String home() {
        StringBuilder sb = new StringBuilder();
        sb.append("<section class=\"empty\">\n<h1>Search the AWS documentation</h1>\n")
                .append("<p>Keyword and semantic search over the user guides of S3, EC2, Lambda, IAM, DynamoDB, ")
                .append("CloudWatch, ECS, VPC and the CDK. Ask in your own words or paste an identifier ")
                .append("such as <code>s3:PutObject</code>.</p>\n<p>Try:</p>\n<ul class=\"examples\">\n");
        for (String e : EXAMPLES) {
            sb.append("<li><a href=\"").append(HtmlText.escape("/?" + queryString(e, SearchMode.HYBRID, null, 0)))
                    .append("\">").append(HtmlText.escape(e)).append("</a></li>\n");
        }
        sb.append("</ul>\n</section>\n");
        return sb.toString();
    }

    private String results(SearchRequest request, LiveSearch.Answer answer) {
        SearchResponse r = answer.response();
        StringBuilder sb = new StringBuilder(4096);
        sb.append(modes(request));
        Map<String, Integer> guides = SearchResultBody.byCount(r.guideCounts());
        int all = guides.values().stream().mapToInt(Integer::intValue).sum();
        if (!guides.isEmpty()) {
            sb.append("<nav class=\"guides\" aria-label=\"Filter by guide\">\n");
            chip(sb, "All guides", all, request.guide() == null,
                    queryString(request.query(), request.mode(), null, 0), null);
            for (Map.Entry<String, Integer> g : guides.entrySet()) {
                chip(sb, GuideLabels.label(g.getKey()), g.getValue(), g.getKey().equals(request.guide()),
                        queryString(request.query(), request.mode(), g.getKey(), 0), g.getKey());
            }
            sb.append("</nav>\n");
        }
        double ms = r.tookMicros() / 1000.0;
        sb.append("<p class=\"summary\" id=\"summary\"><span id=\"count\">").append(r.total()).append("</span> ")
                .append(r.total() == 1 ? "page" : "pages");
        if (request.guide() != null) {
            sb.append(" in ").append(HtmlText.escape(GuideLabels.label(request.guide())));
        }
        sb.append(" · ").append(String.format(Locale.ROOT, "%.1f", ms)).append(" ms</p>\n");
        if (r.didYouMean() != null) {
            sb.append("<p class=\"did-you-mean\" id=\"did-you-mean\">Did you mean <a href=\"")
                    .append(HtmlText.escape("/?" + queryString(r.didYouMean(), request.mode(), request.guide(), request.k())))
                    .append("\"><em>").append(HtmlText.escape(r.didYouMean())).append("</em></a>?</p>\n");
        }
        if (r.hits().isEmpty()) {
            sb.append(request.page() > 1 ? pastTheLastPage(request) : noResults(request));
            return sb.toString();
        }
        sb.append("<ol class=\"results\" id=\"results\" start=\"").append(request.offset() + 1).append("\">\n");
        int n = request.offset();
        for (SearchHit h : r.hits()) {
            n++;
            sb.append("<li class=\"result\" id=\"result-").append(n).append("\">\n");
            String href = safeHref(h.sectionUrl());
            if (href != null) {
                sb.append("<a class=\"title\" id=\"result-").append(n).append("-link\" href=\"")
                        .append(HtmlText.escape(href)).append("\">").append(HtmlText.escape(h.title())).append("</a>\n");
            } else {
                sb.append("<span class=\"title\">").append(HtmlText.escape(h.title())).append("</span>\n");
            }
            // The breadcrumb: guide, page, then the headings above the passage the snippet comes from.
            sb.append("<div class=\"meta crumbs\"><span class=\"badge\" data-guide=\"").append(HtmlText.escape(h.guide()))
                    .append("\">").append(HtmlText.escape(GuideLabels.label(h.guide()))).append("</span>")
                    .append("<span class=\"page\">").append(HtmlText.escape(h.title())).append("</span>");
            if (!h.section().isEmpty()) {
                sb.append("<span class=\"crumb\">").append(HtmlText.escape(h.section())).append("</span>");
            }
            sb.append("</div>\n<p class=\"snippet\">").append(h.snippet()).append("</p>\n");
            sb.append("<div class=\"url\">").append(HtmlText.escape(h.url())).append("</div>\n");
            sb.append(why(h)).append("</li>\n");
        }
        sb.append("</ol>\n");
        sb.append(pager(request, r.total()));
        return sb.toString();
    }

    /** "Why this result": the page's place in each retriever's list, which fusion combined. */
    static String why(SearchHit h) {
        return "<details class=\"why\"><summary>Why this result</summary><p>"
                + "keyword rank <span class=\"rank-keyword\">" + (h.keywordRank() == null ? "\u2013" : h.keywordRank())
                + "</span> · vector rank <span class=\"rank-semantic\">"
                + (h.semanticRank() == null ? "\u2013" : h.semanticRank()) + "</span> · score "
                + String.format(Locale.ROOT, "%.4f", h.score()) + "</p></details>\n";
    }

    /** Previous and Next, as links that carry the whole search (pages are linkable). */
    static String pager(SearchRequest request, int total) {
        int pages = Math.min(SearchRequest.MAX_PAGE, (total + request.k() - 1) / request.k());
        if (pages <= 1) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<nav class=\"pager\" id=\"pager\" aria-label=\"Result pages\">\n");
        if (request.page() > 1) {
            sb.append("<a rel=\"prev\" class=\"prev\" href=\"").append(HtmlText.escape("/?" + queryString(request.query(),
                    request.mode(), request.guide(), request.k(), request.page() - 1))).append("\">Previous</a>\n");
        }
        sb.append("<span class=\"at\">Page ").append(request.page()).append(" of ").append(pages).append("</span>\n");
        if (request.page() < pages) {
            sb.append("<a rel=\"next\" class=\"next\" href=\"").append(HtmlText.escape("/?" + queryString(request.query(),
                    request.mode(), request.guide(), request.k(), request.page() + 1))).append("\">Next</a>\n");
        }
        return sb.append("</nav>\n").toString();
    }

    private static String pastTheLastPage(SearchRequest request) {
        return "<section class=\"none\" id=\"no-results\">\n<h2>No more pages</h2>\n<p><a href=\""
                + HtmlText.escape("/?" + queryString(request.query(), request.mode(), request.guide(), request.k()))
                + "\">Back to the first page</a></p>\n</section>\n";
    }

    private static String modes(SearchRequest request) {
        StringBuilder sb = new StringBuilder("<nav class=\"modes\" aria-label=\"Search mode\">\n");
        for (SearchMode m : SearchMode.values()) {
            String label = switch (m) {
                case HYBRID -> "Hybrid";
                case KEYWORD -> "Keyword";
                case SEMANTIC -> "Semantic";
            };
            String tip = switch (m) {
                case HYBRID -> "words and meaning, fused";
                case KEYWORD -> "exact words (BM25)";
                case SEMANTIC -> "meaning (sentence embeddings)";
            };
            boolean active = m == request.mode();
            sb.append("<a class=\"mode").append(active ? " active\" aria-current=\"page" : "")
                    .append("\" data-mode=\"").append(m.label()).append("\" title=\"").append(tip).append("\" href=\"")
                    .append(HtmlText.escape("/?" + queryString(request.query(), m, request.guide(), 0)))
                    .append("\">").append(label).append("</a>\n");
        }
        return sb.append("</nav>\n").toString();
    }

    private static void chip(StringBuilder sb, String label, int count, boolean active, String query, String guide) {
        sb.append("<a class=\"chip").append(active ? " active\" aria-current=\"page" : "").append("\"");
        if (guide != null) {
            sb.append(" data-guide=\"").append(HtmlText.escape(guide)).append("\"");
        }
        sb.append(" href=\"").append(HtmlText.escape("/?" + query)).append("\">").append(HtmlText.escape(label))
                .append(" <span class=\"count\">").append(count).append("</span></a>\n");
    }

    private static String noResults(SearchRequest request) {
        StringBuilder sb = new StringBuilder("<section class=\"none\" id=\"no-results\">\n<h2>No pages match <q>")
                .append(HtmlText.escape(request.query())).append("</q></h2>\n<ul>\n");
        if (request.guide() != null) {
            sb.append("<li><a href=\"").append(HtmlText.escape("/?" + queryString(request.query(), request.mode(), null, 0)))
                    .append("\">Search all guides</a> instead of only ")
                    .append(HtmlText.escape(GuideLabels.label(request.guide()))).append(".</li>\n");
        }
        if (request.mode() != SearchMode.SEMANTIC) {
            sb.append("<li><a href=\"").append(HtmlText.escape("/?" + queryString(request.query(), SearchMode.SEMANTIC,
                    request.guide(), 0))).append("\">Try semantic search</a>, which matches meaning rather than words.</li>\n");
        }
        sb.append("<li>Check the spelling, or use fewer and more general words.</li>\n")
                .append("<li>Or try one of these: ");
        for (int i = 0; i < 3; i++) {
            String e = EXAMPLES.get(i);
            sb.append(i > 0 ? ", " : "").append("<a href=\"")
                    .append(HtmlText.escape("/?" + queryString(e, SearchMode.HYBRID, null, 0))).append("\">")
                    .append(HtmlText.escape(e)).append("</a>");
        }
        return sb.append(".</li>\n</ul>\n</section>\n").toString();
    }

    private static String problem(ApiException e) {
        String heading = e.status() == 503 ? "Search is not available right now" : "That search cannot be run";
        return "<section class=\"problem\" id=\"problem\">\n<h2>" + heading + "</h2>\n<p>"
                + HtmlText.escape(e.getMessage()) + "</p>\n</section>\n";
    }

    /** Only web links become links: a {@code javascript:} URL in the index must never be clickable. */
    static String safeHref(String url) {
        if (url == null) {
            return null;
        }
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? u : null;
    }

    static String queryString(String query, SearchMode mode, String guide, int k) {
        return queryString(query, mode, guide, k, 1);
    }

    static String queryString(String query, SearchMode mode, String guide, int k, int page) {
        StringBuilder sb = new StringBuilder("q=").append(URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (mode != SearchMode.HYBRID) {
            sb.append("&mode=").append(mode.label());
        }
        if (guide != null) {
            sb.append("&guide=").append(URLEncoder.encode(guide, StandardCharsets.UTF_8));
        }
        if (k > 0 && k != SearchParameters.DEFAULT_K) {
            sb.append("&k=").append(k);
        }
        if (page > 1) {
            sb.append("&page=").append(page);
        }
        return sb.toString();
    }
}
