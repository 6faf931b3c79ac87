package dev.docsearch.pipeline.cli;

import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.eval.BeirDataset;
import dev.docsearch.core.eval.BeirEvaluation;
import dev.docsearch.core.eval.Evaluator;
import dev.docsearch.core.keyword.SnippetHighlighter;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.HybridSearcher;
import dev.docsearch.core.vector.VectorIndexOptions;
import dev.docsearch.pipeline.corpus.CorpusStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code docsearch eval <dataset-dir>}: ranking quality on a BEIR-format dataset. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure ranking quality on a BEIR-format dataset (corpus.jsonl[.gz], queries.jsonl, "
                + "qrels/<split>.tsv): nDCG@10, MRR@10 and Recall@100 for keyword, semantic, hybrid (RRF) and linear, "
                + "plus a textbook BM25 as the yardstick of published baselines.",
                "Without --release it builds (re-using cached embeddings) and publishes a release of the dataset in "
                        + "its own --root, which must not be a pipeline artifact root. With --release it scores a "
                        + "release that already exists, when that release holds exactly the dataset's documents "
                        + "(the docs releases the pipeline builds do not: their pages are not a dataset's judged "
                        + "documents), without the BM25 yardstick."})
final class EvalCommand extends CommandBase implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATASET-DIR", description = "The BEIR dataset directory.")
    Path dataset;
    @Option(names = "--root", paramLabel = "DIR", defaultValue = "eval-artifacts",
            description = "Where eval builds its release and keeps its embedding cache (default: ${DEFAULT-VALUE}).")
    Path root;
    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "The qrels split (default: ${DEFAULT-VALUE}).")
    String split;
    @Option(names = "--threads", paramLabel = "N", description = "Embedding threads (default: the number of cores).")
    Integer threads;
    @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "0",
            description = "0: whole documents, as BEIR (default); else chunks of at most N tokens (>= 16).")
    int chunkTokens;
    @Option(names = "--release", paramLabel = "ID",
            description = "Score this existing release of --root instead of building one.")
    String release;
    @Option(names = "--json", description = "One JSON object per mode instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw usage("--threads must be >= 1, was " + n);
        }
        if (chunkTokens != 0 && chunkTokens < 16) {
            throw usage("--chunk-tokens must be 0 (whole documents) or >= 16, was " + chunkTokens);
        }
        if (!Files.isDirectory(dataset)) {
            throw usage("dataset directory not found: " + dataset);
        }
        if (release != null && !ReleaseStore.isReleaseId(release)) {
            throw usage("not a release id: '" + release + "' (see 'docsearch releases list' for the ids)");
        }
        List<Evaluator.Scores> scores;
        if (release == null) {
            if (Files.isDirectory(root.resolve(CorpusStore.DIRECTORY))) {
                throw usage("refusing to evaluate into " + root.toAbsolutePath().normalize() + ": it is a pipeline "
                        + "artifact root (it has corpus/), and eval publishes its own release there and prunes the "
                        + "others; pass another --root");
            }
            scores = BeirEvaluation.run(dataset, root, split, n, chunking(chunkTokens));
        } else {
            scores = evaluateRelease(BeirDataset.load(dataset, split), n);
        }
        if (json) {
            scores.forEach(s -> out().println(s.toJson()));
        } else {
            out().printf(Locale.ROOT, "%-9s %8s %8s %10s %10s %8s%n", "mode", "nDCG@10", "MRR@10", "Recall@100",
                    "median_ms", "p99_ms");
            for (Evaluator.Scores s : scores) {
                out().printf(Locale.ROOT, "%-9s %8.4f %8.4f %10.4f %10.2f %8.2f%n", s.mode(), s.ndcgAt10(), s.mrrAt10(),
                        s.recallAt100(), s.medianMicros() / 1000.0, s.p99Micros() / 1000.0);
            }
            SummaryLine.of().with("dataset", dataset.toAbsolutePath().normalize().getFileName())
                    .with("queries", scores.get(0).queries()).seconds(start).printTo(out());
        }
        return ExitCode.OK;
    }

    /** As core's eval tool: whole documents (0), or chunks of at most {@code tokens} with the default overlap. */
    static ChunkingParameters chunking(int tokens) {
        if (tokens == 0) {
            return ChunkingParameters.WHOLE_SECTIONS;
        }
        return new ChunkingParameters(tokens, Math.min(ChunkingParameters.DEFAULT.overlapTokens(), tokens / 4), 0);
    }

    private List<Evaluator.Scores> evaluateRelease(BeirDataset data, int n) throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        try (Release r = Release.open(store, release, VectorIndexOptions.DEFAULT)) {
            Set<String> inRelease = new HashSet<>();
            for (int i = 0; i < r.chunks().size(); i++) {
                inRelease.add(r.chunks().get(i).pageId());
            }
            Set<String> inDataset = new HashSet<>();
            for (Page p : data.pages()) {
                inDataset.add(p.id());
            }
            if (!inRelease.equals(inDataset)) {
                Set<String> common = new HashSet<>(inRelease);
                common.retainAll(inDataset);
                throw usage("release " + release + " does not hold dataset " + data.name() + ": it has "
                        + inRelease.size() + " pages, the dataset " + inDataset.size() + " documents, " + common.size()
                        + " in common; run eval without --release to build a release of the dataset");
            }
            ModelInfo model = new ModelStore(root).locate(r.manifest().model().name(), r.manifest().model().sha256());
            try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(n));
                 SnippetHighlighter highlighter = new SnippetHighlighter()) {
                HybridSearcher searcher = new HybridSearcher(r, embedder::embed, highlighter::snippet, 200);
                List<Evaluator.Scores> out = new ArrayList<>();
                for (Evaluator.Variant v : Evaluator.Variant.ALL) {
                    out.add(Evaluator.evaluate(searcher, data, v));
                }
                return out;
            }
        }
    }
}
