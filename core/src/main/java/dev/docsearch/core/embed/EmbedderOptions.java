package dev.docsearch.core.embed;

/**
 * How an {@link Embedder} runs the model.
 *
 * @param maxTokens      tokens the model sees per text, including {@code [CLS]} and {@code [SEP]};
 *                       longer texts are truncated (all-MiniLM-L6-v2 was trained with 256 and has
 *                       512 positions)
 * @param batchSize      texts per ONNX run in {@link Embedder#embedAll}; each batch is padded to its
 *                       longest member only
 * @param intraOpThreads ONNX Runtime threads inside one run; 1 suits a server, where parallelism
 *                       comes from concurrent requests
 * @param concurrency    ONNX runs that may execute at once (the number of pooled predictors);
 *                       further callers wait for a free one
 */
public record EmbedderOptions(int maxTokens, int batchSize, int intraOpThreads, int concurrency) {

    /** Positions in the BERT-style models this embedder runs. */
    public static final int MODEL_MAX_POSITIONS = 512;

    public EmbedderOptions {
        if (maxTokens < 2 || maxTokens > MODEL_MAX_POSITIONS) {
            throw new IllegalArgumentException(
                    "maxTokens must be in [2, " + MODEL_MAX_POSITIONS + "] ([CLS] and [SEP] count), got " + maxTokens);
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("batchSize must be in [1, 4096], got " + batchSize);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + intraOpThreads);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
    }

    /**
     * 256 tokens, batches of 1, one ONNX thread per run, one concurrent run per available core.
     *
     * <p>One text per run: int8 graphs quantise activations with each run's own range, so a text batched with
     * others gets a slightly different vector (cosine 0.995) than alone; alone, a passage's vector depends on its
     * text only, as the embedding cache assumes. It is not slower: no padding, and one text's activations stay in
     * the core's cache. SciFact passages, int8 MiniLM, 2 threads: 51.4 and 48.7 passages/s at 1 against 40.6 and
     * 46.6 at 2 (docs/benchmarks.md); with fp32 on awsdocs chunks, batches of 1-2 gave 75 chunks/s, 8 gave 69,
     * 32 gave 57.
     */
    public static EmbedderOptions defaults() {
        return new EmbedderOptions(256, 1, 1, Runtime.getRuntime().availableProcessors());
    }

    public EmbedderOptions withMaxTokens(int value) {
        return new EmbedderOptions(value, batchSize, intraOpThreads, concurrency);
    }

    public EmbedderOptions withBatchSize(int value) {
        return new EmbedderOptions(maxTokens, value, intraOpThreads, concurrency);
    }

    public EmbedderOptions withIntraOpThreads(int value) {
        return new EmbedderOptions(maxTokens, batchSize, value, concurrency);
    }

    public EmbedderOptions withConcurrency(int value) {
        return new EmbedderOptions(maxTokens, batchSize, intraOpThreads, value);
    }
}
