package dev.docsearch.core.chunk;

/**
 * How pages are cut into chunks; recorded in every release's manifest so a release says how it was made.
 *
 * @param maxTokens     upper bound of tokens in a chunk's own text (the title/section prefix comes on top,
 *                      so keep it below the model's 256-token window)
 * @param overlapTokens tokens of the previous chunk repeated at the start of the next one within a section
 * @param minTokens     sections shorter than this are folded into the previous chunk of the page when it fits
 */
public record ChunkingParameters(int maxTokens, int overlapTokens, int minTokens) {

    /** Defaults sized for the 256-token window the bundled models are run with. */
    public static final ChunkingParameters DEFAULT = new ChunkingParameters(200, 40, 24);

    /**
     * One chunk per section, never split: what BEIR's protocol does with its short documents (the model
     * truncates at its window, BM25 sees the whole text).
     */
    public static final ChunkingParameters WHOLE_SECTIONS = new ChunkingParameters(Integer.MAX_VALUE / 4, 0, 0);

    public ChunkingParameters {
        if (maxTokens < 16) {
            throw new IllegalArgumentException("maxTokens must be >= 16, was " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException(
                    "overlapTokens must be in [0, maxTokens/2), was " + overlapTokens + " with maxTokens " + maxTokens);
        }
        if (minTokens < 0 || minTokens > maxTokens) {
            throw new IllegalArgumentException("minTokens must be in [0, maxTokens], was " + minTokens);
        }
    }
}
