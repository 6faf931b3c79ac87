package dev.docsearch.core.search;

import java.util.Objects;

/**
 * One query.
 *
 * @param query  the user's text, as typed
 * @param k      pages wanted (1..100)
 * @param mode   retrievers to use
 * @param fusion how hybrid mode combines them
 * @param alpha  weight of the cosine in {@link Fusion#LINEAR} (0..1)
 * @param guide  only pages of this guide, or null for all
 */
public record SearchRequest(String query, int k, SearchMode mode, Fusion fusion, double alpha, String guide) {

    public static final int MAX_K = 100;

    public SearchRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fusion, "fusion");
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", was " + k);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in 0..1, was " + alpha);
        }
    }

    /** A hybrid RRF query over all guides. */
    public static SearchRequest of(String query, int k) {
        return new SearchRequest(query, k, SearchMode.HYBRID, Fusion.RRF, 0.5, null);
    }

    public SearchRequest withMode(SearchMode m) {
        return new SearchRequest(query, k, m, fusion, alpha, guide);
    }

    public SearchRequest withFusion(Fusion f, double a) {
        return new SearchRequest(query, k, mode, f, a, guide);
    }

    public SearchRequest withGuide(String g) {
        return new SearchRequest(query, k, mode, fusion, alpha, g);
    }
}
