package dev.docsearch.core.search;

import dev.docsearch.core.model.Chunk;

/**
 * One page in a result list, represented by its best chunk.
 *
 * @param pageId        the page
 * @param chunkId       the page's best-matching chunk
 * @param title         page title
 * @param url           page URL
 * @param sectionUrl    where the best chunk's section starts: the page URL with its anchor
 *                      ({@link Chunk#sectionUrl()}), or the page URL when the section has none
 * @param guide         page guide
 * @param section       the best chunk's section breadcrumb
 * @param snippet       HTML-safe excerpt of the best chunk, query terms in {@code <mark>}
 * @param score         the fused score (RRF or linear blend), or the single retriever's score
 * @param keywordRank   1-based rank of the page in the BM25 list, or null when BM25 did not find it
 * @param semanticRank  1-based rank of the page in the vector list, or null when not among the candidates
 */
public record SearchHit(String pageId, String chunkId, String title, String url, String sectionUrl, String guide,
                        String section,
                        String snippet, double score, Integer keywordRank, Integer semanticRank) {
}
