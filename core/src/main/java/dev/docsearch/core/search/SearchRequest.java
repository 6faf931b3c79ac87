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
 * @param page   which k pages: 1 for the best k, 2 for the next k, ... up to {@value #MAX_PAGE}
 */
public record SearchRequest(String query, int k, SearchMode mode, Fusion fusion, String guide, int page) {

    public static final int MAX_K = 100;
    /** Pages beyond this are refused: nobody reads the 11th page, and each page deepens both retrievers. */
    public static final int MAX_PAGE = 10;

    public SearchRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fusion, "fusion");
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", was " + k);
        }
        if (page < 1 || page > MAX_PAGE) {
            throw new IllegalArgumentException("page must be in 1.." + MAX_PAGE + ", was " + page);
        }
    }

    /** The first page. */
    public SearchRequest(String query, int k, SearchMode mode, Fusion fusion, String guide) {
        this(query, k, mode, fusion, guide, 1);
    }

    /** Results skipped before this page's: {@code (page - 1) * k}. */
    public int offset() {
        return (page - 1) * k;
    }

    /** A hybrid query with the default fusion ({@link Fusion#AUTO}) over all guides. */
    public static SearchRequest of(String query, int k) {
        return new SearchRequest(query, k, SearchMode.HYBRID, Fusion.AUTO, null);
    }

    public SearchRequest withMode(SearchMode m) {
        return new SearchRequest(query, k, m, fusion, guide, page);
    }

    public SearchRequest withFusion(Fusion f) {
        return new SearchRequest(query, k, mode, f, guide, page);
    }

    public SearchRequest withGuide(String g) {
        return new SearchRequest(query, k, mode, fusion, g, page);
    }
}
