package dev.docsearch.core.search;

import java.util.Locale;

/** Which retrievers answer a query. */
public enum SearchMode {
    /** BM25 and vectors, fused. */
    HYBRID,
    /** BM25 only. */
    KEYWORD,
    /** Vectors only. */
    SEMANTIC;

    /** Parses {@code hybrid|keyword|semantic} (any case). */
    public static SearchMode parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("mode must be one of hybrid, keyword, semantic; was '" + s + "'");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
