package dev.docsearch.pipeline.build;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseBuilder;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.ReusedChunks;
import dev.docsearch.pipeline.sink.PausePoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The build step of the pipeline: the corpus's pages in, a committed (not yet published) release and its
 * {@link BuildRecord} out. Chunks are embedded only when the embedding cache under
 * {@code <root>/cache/embeddings/} lacks them, so an update re-embeds only new or changed text, and pages unchanged
 * since the parent release keep the parent's chunks instead of being cut again.
 *
 * <p>Also answers whether a build is needed at all: a release built from the same {@link BuildInputs} (same
 * pages, model, chunking and vector index) is equivalent to a new build.
 */
public final class ReleaseBuild {

    private static final Logger log = LoggerFactory.getLogger(ReleaseBuild.class);
    /** The step {@link ReleaseBuilder} reports after each batch of chunk texts it embedded. */
    private static final String EMBED_STEP = "embed";

    private final Path root;
    private final BuildSettings settings;
    private final ReleaseBuilder.Progress progress;
    private final ReleaseStore store;
    private final BuildRecords records;
    private ModelInfo model;

    public ReleaseBuild(Path root, BuildSettings settings, ReleaseBuilder.Progress progress) {
        this.root = root.toAbsolutePath().normalize();
        this.settings = settings;
        ReleaseBuilder.Progress shown = progress == null ? ReleaseBuilder.Progress.NONE : progress;
        this.progress = (step, done, total) -> {
            shown.update(step, done, total);
            if (EMBED_STEP.equals(step)) {
                PausePoint.reach(PausePoint.EMBEDDING); // a no-op unless a crash test asks for it
            }
        };
        this.store = new ReleaseStore(this.root);
        this.records = new BuildRecords(this.root);
    }

    /** The settings' embedding model, installed into {@code <root>/models/} unless an intact copy is there. */
    public ModelInfo model() throws IOException {
        if (model == null) {
            ModelStore models = new ModelStore(root);
            try {
                model = models.install(settings.model());
            } catch (IOException e) {
                throw new IOException("cannot install the embedding model under " + models.modelsDirectory() + ": "
                        + e.getMessage(), e);
            }
        }
        return model;
    }

    /** The inputs a build of {@code corpus} would have. */
    public BuildInputs inputs(CorpusSnapshot corpus) throws IOException {
        return new BuildInputs(corpus, model(), settings.chunking(), settings.vectors());
    }

    /**
     * Whether release {@code id} was built from exactly {@code inputs} and is intact (verified now), so that
     * it can stand for a new build.
     */
    public boolean builtFrom(String id, BuildInputs inputs) {
        Optional<BuildRecord> record = records.read(id);
        if (record.isEmpty() || !record.get().inputsDigest().equals(inputs.digest())) {
            return false;
        }
        try {
            store.verify(id);
            return true;
        } catch (ReleaseRejectedException e) {
            log.warn("release {} was built from the same inputs but fails verification, so it is not reused: {}",
                    id, e.getMessage());
            return false;
        }
    }

    /**
     * The newest committed release other than {@code live} that was built from {@code inputs}: a build that
     * an earlier run committed but did not get to publish.
     */
    public Optional<String> unpublishedBuildOf(BuildInputs inputs, String live) throws IOException {
        List<String> ids = store.ids();
        for (int i = ids.size() - 1; i >= 0; i--) {
            String id = ids.get(i);
            if (!id.equals(live) && builtFrom(id, inputs)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /**
     * Builds and commits a release of the corpus, then writes its build record.
     *
     * @param parent the live release, or null
     */
    public BuildRecord build(CorpusSnapshot corpus, String parent) throws IOException {
        if (corpus.isEmpty()) {
            throw new IOException("the corpus has no pages: nothing to build (run crawl first)");
        }
        BuildInputs inputs = inputs(corpus);
        ModelInfo m = model();
        Optional<BuildRecord> parentRecord = parent == null ? Optional.empty() : records.read(parent);
        ReleaseBuilder.Result result;
        try (Embedder embedder = Embedder.open(m, EmbedderOptions.defaults().withConcurrency(settings.threads()))) {
            EmbeddingCache cache = EmbeddingCache.open(root, m);
            ReleaseBuilder builder = new ReleaseBuilder(store, embedder,
                    new Chunker(settings.chunking(), embedder::countTokens), settings.vectors(), cache,
                    settings.threads(), progress);
            result = builder.build(corpus.pages(), parent, reusableChunks(corpus, parent, parentRecord, m));
        }
        Manifest manifest = result.manifest();
        Map<String, String> parentHashes = parentRecord.map(BuildRecord::pageHashes).orElse(Map.of());
        BuildRecord record = new BuildRecord(BuildRecord.FORMAT, manifest.id(), parent, inputs.digest(),
                manifest.pages(), manifest.chunks(), PageChanges.between(parentHashes, corpus.hashes()),
                result.chunksEmbedded(), result.chunksReused(), result.millis(), corpus.hashes(), Chunker.ALGORITHM);
        records.write(record);
        log.info("build recorded release={} parent={} {} chunks_embedded={} chunks_reused={}", record.release(),
                parent, record.changes().summary(), record.chunksEmbedded(), record.chunksReused());
        return record;
    }

    /**
     * The parent's chunks of the pages whose content has not changed since it was built, when the parent was cut
     * the way this build cuts (same chunker algorithm, parameters and model); otherwise none, and every page is
     * chunked. A parent whose chunk files fail verification is not reused either: the build goes on without it.
     */
    private ReusedChunks reusableChunks(CorpusSnapshot corpus, String parent, Optional<BuildRecord> record,
                                        ModelInfo m) {
        if (parent == null) {
            return ReusedChunks.NONE;
        }
        if (record.isEmpty() || !Chunker.ALGORITHM.equals(record.get().chunker())) {
            log.info("chunks of release {} not reused: it was not cut by chunker {}", parent, Chunker.ALGORITHM);
            return ReusedChunks.NONE;
        }
        try {
            Manifest previous = store.manifest(parent);
            if (!previous.chunking().equals(settings.chunking()) || !previous.model().sha256().equals(m.sha256())) {
                log.info("chunks of release {} not reused: it was cut with {} for model {}", parent,
                        previous.chunking(), previous.model().sha256());
                return ReusedChunks.NONE;
            }
            Map<String, String> before = record.get().pageHashes();
            Set<String> unchanged = new HashSet<>();
            corpus.hashes().forEach((page, hash) -> {
                if (hash.equals(before.get(page))) {
                    unchanged.add(page);
                }
            });
            return ReusedChunks.read(store, parent, unchanged);
        } catch (ReleaseRejectedException e) {
            log.warn("chunks of release {} not reused: {}", parent, e.getMessage());
            return ReusedChunks.NONE;
        }
    }

    public ReleaseStore store() {
        return store;
    }

    public BuildRecords records() {
        return records;
    }
}
