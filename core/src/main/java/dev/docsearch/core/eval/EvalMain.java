package dev.docsearch.core.eval;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.chunk.ChunkingParameters;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code eval <dataset-dir> [--root DIR] [--split test] [--threads N] [--json]}: builds a release of a
 * BEIR dataset (re-using cached embeddings) and prints nDCG@10, MRR@10 and Recall@100 per ranking mode,
 * plus a textbook BM25 ({@link ReferenceBm25}) as the yardstick for published baselines.
 *
 * <p>A stand-alone entry point until the pipeline's CLI takes it over; exit code 0 ok, 1 failed, 2 bad usage.
 */
public final class EvalMain {

    private EvalMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path dataset = null;
        Path root = Path.of("eval-artifacts");
        String split = "test";
        int threads = Runtime.getRuntime().availableProcessors();
        boolean json = false;
        int chunkTokens = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--root" -> root = Path.of(value(args, ++i, "--root"));
                    case "--split" -> split = value(args, ++i, "--split");
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, "--threads"));
                    case "--json" -> json = true;
                    case "--chunk-tokens" -> chunkTokens = Integer.parseInt(value(args, ++i, "--chunk-tokens"));
                    case "-h", "--help" -> {
                        System.out.println(usage());
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-") || dataset != null) {
                            throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        }
                        dataset = Path.of(args[i]);
                    }
                }
            }
            if (dataset == null) {
                throw new IllegalArgumentException("missing <dataset-dir>");
            }
            if (!Files.isDirectory(dataset)) {
                throw new IllegalArgumentException("dataset directory not found: " + dataset);
            }
            if (chunkTokens != 0 && chunkTokens < 16) {
                throw new IllegalArgumentException("--chunk-tokens must be 0 (whole documents) or >= 16");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1");
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            System.err.println("eval: " + e.getMessage());
            System.err.println(usage());
            return 2;
        }
        try {
            long start = System.nanoTime();
            List<Evaluator.Scores> scores = evaluate(dataset, root, split, threads, chunking(chunkTokens));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (json) {
                scores.forEach(s -> System.out.println(s.toJson()));
            } else {
                System.out.printf(Locale.ROOT, "%-9s %8s %8s %10s %10s %8s%n", "mode", "nDCG@10", "MRR@10", "Recall@100", "median_ms", "p99_ms");
                for (Evaluator.Scores s : scores) {
                    System.out.printf(Locale.ROOT, "%-9s %8.4f %8.4f %10.4f %10.2f %8.2f%n", s.mode(), s.ndcgAt10(), s.mrrAt10(),
                            s.recallAt100(), s.medianMicros() / 1000.0, s.p99Micros() / 1000.0);
                }
                System.out.printf(Locale.ROOT, "summary: dataset=%s queries=%d seconds=%.1f%n", dataset.getFileName(),
                        scores.get(0).queries(), seconds);
            }
            return 0;
        } catch (Exception e) {
            System.err.println("eval: failed: " + e.getMessage());
            return 1;
        }
    }

    /** Whole documents as BEIR does (0), or chunks of at most {@code tokens} with the default overlap. */
    static ChunkingParameters chunking(int tokens) {
        if (tokens == 0) {
            return ChunkingParameters.WHOLE_SECTIONS;
        }
        return new ChunkingParameters(tokens, Math.min(ChunkingParameters.DEFAULT.overlapTokens(), tokens / 4), 0);
    }

    /** Builds (or re-builds from the embedding cache) a release of the dataset and scores every variant. */
    public static List<Evaluator.Scores> evaluate(Path dataset, Path root, String split, int threads,
                                                  ChunkingParameters chunking) throws Exception {
        BeirDataset data = BeirDataset.load(dataset, split);
        ReleaseStore store = new ReleaseStore(root);
        ModelInfo model = new ModelStore(root).installBundled();
        try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(threads));
             SnippetHighlighter highlighter = new SnippetHighlighter()) {
            EmbeddingCache cache = EmbeddingCache.open(root, model.sha256(), model.dimension());
            Chunker chunker = new Chunker(chunking, embedder::countTokens);
            ReleaseBuilder builder = new ReleaseBuilder(store, embedder, chunker, VectorIndexOptions.DEFAULT, cache,
                    threads, ReleaseBuilder.Progress.NONE);
            String id = builder.build(data.pages(), null).manifest().id();
            store.publish(id);
            try (Release release = Release.open(store, id, VectorIndexOptions.DEFAULT)) {
                HybridSearcher searcher = new HybridSearcher(release, embedder::embed, highlighter::snippet, 200);
                List<Evaluator.Scores> out = new ArrayList<>();
                for (Evaluator.Variant v : Evaluator.Variant.ALL) {
                    out.add(Evaluator.evaluate(searcher, data, v));
                }
                out.add(ReferenceBm25.evaluate(data));
                return out;
            } finally {
                store.prune(1);
            }
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static String usage() {
        return "usage: eval <dataset-dir> [--root DIR (default eval-artifacts)] [--split test] [--threads N]"
                + " [--chunk-tokens N (default 0: whole documents, as BEIR)] [--json]";
    }
}
