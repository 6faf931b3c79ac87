package dev.docsearch.core.search;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link SearchRequest}.
 *
 * @param releaseId   the release that answered (exactly one per response)
 * @param hits        at most k pages, best first
 * @param total       pages matched among the candidates (after the guide filter)
 * @param guideCounts pages matched per guide among the candidates (before the guide filter)
 * @param embedMicros time spent embedding the query
 * @param tookMicros  total time in the searcher
 * @param didYouMean  the query with its misspelled words corrected ({@link QuerySpelling}), which is what was
 *                    searched; null when the query was searched as typed
 */
public record SearchResponse(String releaseId, List<SearchHit> hits, int total, Map<String, Integer> guideCounts,
                             long embedMicros, long tookMicros, String didYouMean) {
    public SearchResponse {
        hits = List.copyOf(hits);
        guideCounts = Map.copyOf(guideCounts);
    }
}
