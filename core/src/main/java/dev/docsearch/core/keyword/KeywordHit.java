package dev.docsearch.core.keyword;

/**
 * One chunk found by a keyword search.
 *
 * @param ordinal the chunk's position in the release's chunk list
 * @param score   its BM25 score for the query (comparable only within one search)
 */
public record KeywordHit(int ordinal, float score) {
}
