package dev.docsearch.core.eval;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.keyword.SnippetHighlighter;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseBuilder;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.HybridSearcher;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ranking quality on a BEIR dataset: builds (or re-builds from the embedding cache) a release of the dataset in
 * its own root, publishes it, and scores every {@link Evaluator.Variant} plus a textbook BM25
 * ({@link ReferenceBm25}), the yardstick for published baselines. The pipeline's {@code eval} command and the
 * SciFact quality test call it.
 */
public final class BeirEvaluation {

    private BeirEvaluation() {
    }

    /**
     * Builds (or re-builds from the embedding cache) a release of the dataset with {@code bundled} and scores the
     * given variants.
     */
    public static List<Evaluator.Scores> run(BeirDataset data, Path root, int threads, ChunkingParameters chunking,
                                             List<Evaluator.Variant> variants, BundledModel bundled) throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        ModelInfo model = new ModelStore(root).install(bundled);
        try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(threads));
             SnippetHighlighter highlighter = new SnippetHighlighter()) {
            EmbeddingCache cache = EmbeddingCache.open(root, model);
            Chunker chunker = new Chunker(chunking, embedder::countTokens);
            ReleaseBuilder builder = new ReleaseBuilder(store, embedder, chunker, VectorIndexOptions.DEFAULT, cache,
                    threads, ReleaseBuilder.Progress.NONE);
            String id = builder.build(data.pages(), null).manifest().id();
            store.publish(id);
            try (Release release = Release.open(store, id, VectorIndexOptions.DEFAULT)) {
                HybridSearcher searcher = new HybridSearcher(release, embedder::embedQuery, highlighter::snippet,
                        Evaluator.CANDIDATES);
                List<Evaluator.Scores> out = new ArrayList<>();
                for (Evaluator.Variant v : variants) {
                    out.add(Evaluator.evaluate(searcher, data, v));
                }
                out.add(ReferenceBm25.evaluate(data));
                return out;
            } finally {
                store.prune(1);
            }
        }
    }
}
