package dev.docsearch.core.search;

import java.util.Objects;

/**
 * One query.
 *
 * @param query  the user's text, as typed
 * @param k      pages wanted (1..100)
 * @param mode   retrievers to use
 * @param fusion how hybrid mode combines them
 * @param guide  only pages of this guide, or null for all
 */
public record SearchRequest(String query, int k, SearchMode mode, Fusion fusion, String guide) {

    public static final int MAX_K = 100;

    public SearchRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fusion, "fusion");
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", was " + k);
        }
    }

    /** A hybrid RRF query over all guides. */
    public static SearchRequest of(String query, int k) {
        return new SearchRequest(query, k, SearchMode.HYBRID, Fusion.RRF, null);
    }

    public SearchRequest withMode(SearchMode m) {
        return new SearchRequest(query, k, m, fusion, guide);
    }

    public SearchRequest withFusion(Fusion f) {
        return new SearchRequest(query, k, mode, f, guide);
    }

    public SearchRequest withGuide(String g) {
        return new SearchRequest(query, k, mode, fusion, g);
    }
}
