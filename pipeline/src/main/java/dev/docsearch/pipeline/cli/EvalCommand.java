package dev.docsearch.pipeline.cli;

import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.eval.BeirDataset;
import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.core.eval.BeirEvaluation;
import dev.docsearch.core.eval.Evaluator;
import dev.docsearch.core.eval.JudgedQueries;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.Fusion;
import dev.docsearch.core.search.SearchEngine;
import dev.docsearch.pipeline.corpus.CorpusStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code docsearch eval <dataset-dir>}: ranking quality on a BEIR-format dataset, or on a docs dev set (no corpus;
 * judged over the pages of a release the pipeline built).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure ranking quality on a BEIR-format dataset (corpus.jsonl[.gz], queries.jsonl, "
                + "qrels/<split>.tsv): nDCG@10, MRR@10 and Recall@100 for keyword, semantic, hybrid, and hybrid by "
                + "RRF, linear and convex fusion alone, plus a textbook BM25 as the yardstick of published baselines.",
                "Without --release it builds (re-using cached embeddings) and publishes a release of the dataset in "
                        + "its own --root, which must not be a pipeline artifact root. With --release it scores a "
                        + "release that already exists, when that release holds exactly the dataset's documents "
                        + "(the docs releases the pipeline builds do not: their pages are not a dataset's judged "
                        + "documents), without the BM25 yardstick.",
                "A docs dev set is a dataset directory without corpus.jsonl[.gz], such as eval/awsdocs-dev: its "
                        + "qrels grade pages of a docs release (ids like amazon-s3-userguide/Versioning; 2 answers "
                        + "the query, 1 is of some use) and each query has a metadata.type. For one, eval builds "
                        + "nothing: it scores release --release (default: the live one, CURRENT) of the artifact "
                        + "root --root (default: $DOCSEARCH_ROOT, else $ARTIFACTS_DIR, else ./artifacts), and "
                        + "refuses if there is none. Judged pages the release lacks are dropped; queries left "
                        + "without a grade-2 page are skipped and counted. Per variant, per query type and "
                        + "overall: nDCG@10 (gains 2 and 1), MRR@10 (first grade-2 page), Recall@100 (grade >= 1) "
                        + "and top3 (share of queries with a grade-2 page in the top 3)."})
final class EvalCommand extends CommandBase implements Callable<Integer> {

    /** Where a BEIR dataset's release is built when --root is not given. */
    static final String BEIR_ROOT = "eval-artifacts";

    @Parameters(index = "0", paramLabel = "DATASET-DIR", description = "The BEIR dataset or docs dev set directory.")
    Path dataset;
    @Option(names = "--root", paramLabel = "DIR",
            description = "Where eval builds its release and keeps its embedding cache (default: " + BEIR_ROOT
                    + "). For a docs dev set: the artifact root whose release is scored (default: $DOCSEARCH_ROOT, "
                    + "else $ARTIFACTS_DIR, else " + RootOption.DEFAULT + ").")
    Path root;
    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "The qrels split (default: ${DEFAULT-VALUE}).")
    String split;
    @Option(names = "--threads", paramLabel = "N", description = "Embedding threads (default: the number of cores).")
    Integer threads;
    @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "0",
            description = "0: whole documents, as BEIR (default); else chunks of at most N tokens (>= 16). "
                    + "Not for a docs dev set: its release is already chunked.")
    int chunkTokens;
    @Option(names = "--release", paramLabel = "ID",
            description = "Score this existing release of --root instead of building one (for a docs dev set: "
                    + "default the live release, CURRENT).")
    String release;
    @Option(names = "--question-weight", paramLabel = "W",
            description = "The weight hybrid's RRF gives the semantic list for queries that read as questions "
                    + "(default: " + Fusion.Rrf.QUESTION_SEMANTIC_WEIGHT + "; 1 fuses them like terms).")
    Double questionWeight;
    @Option(names = "--identifier-weight", paramLabel = "W",
            description = "The weight hybrid's RRF gives the semantic list for queries that are pasted identifiers "
                    + "(default: " + Fusion.Rrf.IDENTIFIER_SEMANTIC_WEIGHT + "; 1 fuses them like terms).")
    Double identifierWeight;
    @Option(names = "--alpha", paramLabel = "A",
            description = "The semantic share of the convex blend of min-max normalised scores, which hybrid uses for "
                    + "plain terms (default: " + Fusion.Auto.TERMS_ALPHA + ").")
    Double alpha;
    @Option(names = "--model", paramLabel = "NAME", converter = ModelName.class, completionCandidates = ModelName.class,
            description = "For a BEIR dataset: the embedding model of its release, ${COMPLETION-CANDIDATES} (default: "
                    + BundledModel.DEFAULT_NAME + "). A docs dev set is scored with its release's model.")
    BundledModel model;
    @Option(names = "--json", description = "One JSON object per mode (for a docs dev set: per mode and query "
            + "type, with the summary on stderr) instead of the table.")
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
        if (release != null) {
            Inputs.releaseId(this, release);
        }
        List<Evaluator.Variant> variants = variants();
        if (!BeirDataset.hasCorpus(dataset)) {
            return scoreDocsDevSet(n, variants, start);
        }
        if (root == null) {
            root = Path.of(BEIR_ROOT);
        }
        List<Evaluator.Scores> scores;
        if (release == null) {
            if (Files.isDirectory(root.resolve(CorpusStore.DIRECTORY))) {
                throw usage("refusing to evaluate into " + root.toAbsolutePath().normalize() + ": it is a pipeline "
                        + "artifact root (it has corpus/), and eval publishes its own release there and prunes the "
                        + "others; pass another --root");
            }
            scores = BeirEvaluation.run(BeirDataset.load(dataset, split), root, n, chunking(chunkTokens), variants,
                    model == null ? BundledModel.DEFAULT : model);
        } else {
            scores = evaluateRelease(BeirDataset.load(dataset, split), n, variants);
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

    /** The variants to score: the default four, or hybrid with --question-weight and --identifier-weight. */
    private List<Evaluator.Variant> variants() {
        if (questionWeight == null && identifierWeight == null && alpha == null) {
            return Evaluator.Variant.ALL;
        }
        if (alpha != null && !(alpha >= 0 && alpha <= 1)) {
            throw usage("--alpha must be in 0..1, was " + alpha);
        }
        return Evaluator.Variant.with(new Fusion.Rrf(Fusion.RRF.k(),
                weight("--question-weight", questionWeight, Fusion.RRF.questionSemanticWeight()),
                weight("--identifier-weight", identifierWeight, Fusion.RRF.identifierSemanticWeight())),
                new Fusion.Convex(alpha == null ? Fusion.Auto.TERMS_ALPHA : alpha));
    }

    private double weight(String flag, Double given, double otherwise) {
        if (given == null) {
            return otherwise;
        }
        if (!(given > 0 && given <= 100)) {
            throw usage(flag + " must be in (0, 100], was " + given);
        }
        return given;
    }

    /** As core's eval tool: whole documents (0), or chunks of at most {@code tokens} with the default overlap. */
    static ChunkingParameters chunking(int tokens) {
        if (tokens == 0) {
            return ChunkingParameters.WHOLE_SECTIONS;
        }
        return new ChunkingParameters(tokens, Math.min(ChunkingParameters.DEFAULT.overlapTokens(), tokens / 4), 0);
    }

    private List<Evaluator.Scores> evaluateRelease(BeirDataset data, int n, List<Evaluator.Variant> variants)
            throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        try (SearchEngine engine = SearchEngine.open(store, release, engineSettings(n))) {
            Set<String> inRelease = pageIds(engine.release());
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
            List<Evaluator.Scores> out = new ArrayList<>();
            for (Evaluator.Variant v : variants) {
                out.add(Evaluator.evaluate(engine.searcher(), data, v));
            }
            return out;
        }
    }

    /**
     * A docs dev set (no corpus): scores an existing release of an artifact root, per query type, building
     * nothing. The judgements are restricted to the release's pages first ({@link JudgedQueries#within}).
     */
    private int scoreDocsDevSet(int n, List<Evaluator.Variant> variants, long start) throws Exception {
        if (chunkTokens != 0) {
            throw usage("--chunk-tokens does not apply to a docs dev set (" + dataset + " has no corpus.jsonl): "
                    + "the release it scores is already chunked");
        }
        RootOption artifacts = new RootOption();
        artifacts.root = root;
        Path dir = artifacts.resolve(env());
        JudgedQueries judged = JudgedQueries.load(dataset, split);
        ReleaseStore store = new ReleaseStore(dir);
        String id = release;
        if (id == null) {
            id = store.current().orElse(null);
            if (id == null) {
                int built = store.ids().size();
                throw usage(built == 0
                        ? "no release to score in " + dir + ": a docs dev set is scored on a release the pipeline "
                        + "built; build one first ('docsearch update --root " + dir + "') or pass --root"
                        : "no live release in " + dir + " (CURRENT is missing) and " + built + " unpublished; "
                        + "pass --release ID (see 'docsearch releases list --root " + dir + "')");
            }
        } else if (!store.ids().contains(id)) {
            throw usage("no release " + id + " in " + dir + " (see 'docsearch releases list --root " + dir + "')");
        }
        try (SearchEngine engine = SearchEngine.open(store, id, engineSettings(n))) {
            Release r = engine.release();
            JudgedQueries scored = judged.within(pageIds(r));
            int skipped = judged.queries().size() - scored.queries().size();
            if (scored.queries().isEmpty()) {
                throw usage("release " + id + " of " + dir + " holds no page graded " + JudgedQueries.ANSWER
                        + " by " + judged.name() + ": all " + judged.queries().size() + " queries would be skipped");
            }
            List<Evaluator.TypeScores> scores = new ArrayList<>();
            for (Evaluator.Variant v : variants) {
                scores.addAll(Evaluator.evaluateByType(engine.searcher(), scored, v));
            }
            PrintStream notes = json ? err() : out();
            notes.printf(Locale.ROOT, "dataset %s on release %s of %s (%d pages): %d of %d queries scored%n",
                    judged.name(), id, dir, r.manifest().pages(), scored.queries().size(), judged.queries().size());
            notes.printf(Locale.ROOT, "queries skipped: %d, no judged page in this release (none graded %d)%n",
                    skipped, JudgedQueries.ANSWER);
            if (json) {
                scores.forEach(s -> out().println(s.toJson()));
            } else {
                out().printf(Locale.ROOT, "%-9s %-11s %7s %8s %8s %10s %6s %10s %8s%n", "mode", "type", "queries",
                        "nDCG@10", "MRR@10", "Recall@100", "top3", "median_ms", "p99_ms");
                for (Evaluator.TypeScores s : scores) {
                    out().printf(Locale.ROOT, "%-9s %-11s %7d %8.4f %8.4f %10.4f %6.3f %10.2f %8.2f%n", s.mode(),
                            s.type(), s.queries(), s.ndcgAt10(), s.mrrAt10(), s.recallAt100(), s.top3(),
                            s.medianMicros() / 1000.0, s.p99Micros() / 1000.0);
                }
            }
            SummaryLine.of().with("dataset", judged.name()).with("release", id).with("pages", r.manifest().pages())
                    .with("queries", scored.queries().size()).with("skipped", skipped).seconds(start).printTo(notes);
            return ExitCode.OK;
        }
    }

    /** The ids of the pages a release holds. */
    private static Set<String> pageIds(Release r) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < r.chunks().size(); i++) {
            ids.add(r.chunks().page(i).pageId());
        }
        return ids;
    }

    /** Eval's engine: 200 candidates (Recall@100 needs more than 100 chunks), {@code threads} query embedders. */
    private static SearchEngine.Settings engineSettings(int threads) {
        return SearchEngine.Settings.DEFAULT.withCandidates(Evaluator.CANDIDATES).withEmbedThreads(threads);
    }
}
