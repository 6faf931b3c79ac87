package dev.docsearch.core.search;

/** How the keyword and vector rankings are combined in {@link SearchMode#HYBRID}. */
public enum Fusion {
    /** Reciprocal rank fusion: score = Σ 1/(k + rank). Robust to the two scores' different scales. */
    RRF,
    /**
     * The original prototype's blend: alpha · cosine + (1 − alpha) · BM25 / max BM25. Kept for comparison
     * and for the prototype's {@code POST /search} clients.
     */
    LINEAR
}
