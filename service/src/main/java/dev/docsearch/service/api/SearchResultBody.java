package dev.docsearch.service.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.docsearch.core.search.SearchHit;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.search.SearchResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON answer of {@code GET /api/search} and {@code POST /search}.
 *
 * @param query   the query as received (control characters removed, trimmed)
 * @param didYouMean the query with misspelled words corrected, which is what was searched; null when the query
 *                was searched as it came
 * @param mode    hybrid, keyword or semantic
 * @param fusion  how hybrid combined the rankings: rrf or linear (null for the single-retriever modes)
 * @param guide   the guide filter, or null
 * @param release the one release that answered
 * @param tookMs  server-side time for the whole request, in milliseconds
 * @param embedMs time spent embedding the query
 * @param page    which k results these are (1: the best k)
 * @param total   pages matched among the candidates, after the guide filter
 * @param guides  pages matched per guide (before the guide filter), most first
 * @param guideLabels readable names of those guides and of the results' guides ("Amazon S3 User Guide")
 * @param results at most k pages, best first
 */
@JsonPropertyOrder({"query", "did_you_mean", "mode", "fusion", "guide", "release", "took_ms", "embed_ms", "page", "k",
        "total", "guides", "guide_labels", "results"})
public record SearchResultBody(String query, @JsonProperty("did_you_mean") String didYouMean, String mode,
                               String fusion, String guide, String release,
                               @JsonProperty("took_ms") double tookMs, @JsonProperty("embed_ms") double embedMs,
                               int page, int k, int total, Map<String, Integer> guides,
                               @JsonProperty("guide_labels") Map<String, String> guideLabels, List<Result> results) {

    /**
     * One page.
     *
     * @param id      the page id
     * @param chunk   the id of the page's best chunk (where the snippet comes from)
     * @param url     the page's URL
     * @param sectionUrl the URL of the best chunk's section ({@code url#anchor}), or {@code url} when it has no anchor
     * @param snippet HTML-safe excerpt, query terms in {@code <mark>}
     * @param score   fused score (or the single retriever's score)
     * @param ranks   the page's rank in each retriever's list (null when that retriever did not find it)
     */
    @JsonPropertyOrder({"id", "chunk", "title", "url", "section_url", "guide", "section", "snippet", "score", "ranks"})
    public record Result(String id, String chunk, String title, String url, @JsonProperty("section_url") String sectionUrl, String guide, String section,
                         String snippet, double score, Ranks ranks) {
    }

    /** 1-based ranks in the BM25 and vector lists. */
    public record Ranks(Integer keyword, Integer semantic) {
    }

    public static SearchResultBody of(SearchRequest request, SearchResponse response, long tookNanos) {
        List<Result> results = new ArrayList<>(response.hits().size());
        for (SearchHit h : response.hits()) {
            results.add(new Result(h.pageId(), h.chunkId(), h.title(), h.url(), h.sectionUrl(), h.guide(), h.section(), h.snippet(),
                    h.score(), new Ranks(h.keywordRank(), h.semanticRank())));
        }
        String fusion = switch (request.mode()) {
            case HYBRID -> request.fusion().label();
            case KEYWORD, SEMANTIC -> null;
        };
        return new SearchResultBody(request.query(), response.didYouMean(), request.mode().label(), fusion,
                request.guide(), response.releaseId(), millis(tookNanos / 1000), millis(response.embedMicros()),
                request.page(), request.k(), response.total(), byCount(response.guideCounts()), labels(response),
                results);
    }

    private static Map<String, String> labels(SearchResponse response) {
        Map<String, String> labels = new TreeMap<>();
        response.guideCounts().keySet().forEach(g -> labels.put(g, GuideLabels.label(g)));
        response.hits().forEach(h -> labels.put(h.guide(), GuideLabels.label(h.guide())));
        return labels;
    }

    /** Guides with the most matches first, then by name, so chips and JSON read the same way. */
    public static Map<String, Integer> byCount(Map<String, Integer> counts) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static double millis(long micros) {
        return Math.round(micros) / 1000.0;
    }
}
