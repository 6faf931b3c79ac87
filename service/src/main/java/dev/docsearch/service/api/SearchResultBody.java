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

/**
 * The JSON answer of {@code GET /api/search} and {@code POST /search}.
 *
 * @param query   the query as searched (control characters removed, trimmed)
 * @param mode    hybrid, keyword or semantic
 * @param fusion  how hybrid combined the rankings: rrf or linear (null for the single-retriever modes)
 * @param guide   the guide filter, or null
 * @param release the one release that answered
 * @param tookMs  server-side time for the whole request, in milliseconds
 * @param embedMs time spent embedding the query
 * @param total   pages matched among the candidates, after the guide filter
 * @param guides  pages matched per guide (before the guide filter), most first
 * @param results at most k pages, best first
 */
@JsonPropertyOrder({"query", "mode", "fusion", "guide", "release", "took_ms", "embed_ms", "total", "guides", "results"})
public record SearchResultBody(String query, String mode, String fusion, String guide, String release,
                               @JsonProperty("took_ms") double tookMs, @JsonProperty("embed_ms") double embedMs,
                               int total, Map<String, Integer> guides, List<Result> results) {

    /**
     * One page.
     *
     * @param id      the page id
     * @param chunk   the id of the page's best chunk (where the snippet comes from)
     * @param snippet HTML-safe excerpt, query terms in {@code <mark>}
     * @param score   fused score (or the single retriever's score)
     * @param ranks   the page's rank in each retriever's list (null when that retriever did not find it)
     */
    @JsonPropertyOrder({"id", "chunk", "title", "url", "guide", "section", "snippet", "score", "ranks"})
    public record Result(String id, String chunk, String title, String url, String guide, String section,
                         String snippet, double score, Ranks ranks) {
    }

    /** 1-based ranks in the BM25 and vector lists. */
    public record Ranks(Integer keyword, Integer semantic) {
    }

    public static SearchResultBody of(SearchRequest request, SearchResponse response, long tookNanos) {
        List<Result> results = new ArrayList<>(response.hits().size());
        for (SearchHit h : response.hits()) {
            results.add(new Result(h.pageId(), h.chunkId(), h.title(), h.url(), h.guide(), h.section(), h.snippet(),
                    h.score(), new Ranks(h.keywordRank(), h.semanticRank())));
        }
        String fusion = switch (request.mode()) {
            case HYBRID -> request.fusion().label();
            case KEYWORD, SEMANTIC -> null;
        };
        return new SearchResultBody(request.query(), request.mode().label(), fusion, request.guide(),
                response.releaseId(), millis(tookNanos / 1000), millis(response.embedMicros()), response.total(),
                byCount(response.guideCounts()), results);
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
