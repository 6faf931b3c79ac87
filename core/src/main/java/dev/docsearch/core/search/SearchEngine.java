package dev.docsearch.core.search;

import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.keyword.SnippetHighlighter;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.io.IOException;

/**
 * One release made searchable, for a process that searches one release and then ends ({@code docsearch search},
 * {@code eval}, tests and benchmarks): the release, the embedder of the model it was built with (found and
 * verified in the same artifact root), a snippet highlighter, and the {@link HybridSearcher} over them. It owns
 * all of them and closes them together. The service composes the same parts itself, because it shares one loaded
 * model between the releases it switches between; so does {@link dev.docsearch.core.eval.BeirEvaluation}, which
 * searches with the embedder that has just built the release rather than load the model a second time.
 *
 * <p>Thread-safe for concurrent searches, like the searcher.
 */
public final class SearchEngine implements AutoCloseable {

    /**
     * How an engine is opened.
     *
     * @param candidates    chunks taken from each retriever per query (the searcher's N)
     * @param embedThreads  ONNX runs at once in the query embedder (1 for a single client)
     * @param embedQueries  false for keyword-only use: no model is loaded, and semantic or hybrid searches fail
     */
    public record Settings(int candidates, int embedThreads, boolean embedQueries) {

        /** 100 candidates, one query at a time, with the model. */
        public static final Settings DEFAULT = new Settings(100, 1, true);

        public Settings {
            if (candidates < 1) {
                throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
            }
            if (embedThreads < 1) {
                throw new IllegalArgumentException("embedThreads must be >= 1, was " + embedThreads);
            }
        }

        public Settings withCandidates(int n) {
            return new Settings(n, embedThreads, embedQueries);
        }

        public Settings withEmbedThreads(int n) {
            return new Settings(candidates, n, embedQueries);
        }

        public Settings withoutQueryEmbedding() {
            return new Settings(candidates, embedThreads, false);
        }
    }

    private final Release release;
    private final Embedder embedder;
    private final SnippetHighlighter highlighter;
    private final HybridSearcher searcher;

    private SearchEngine(Release release, Embedder embedder, SnippetHighlighter highlighter, int candidates) {
        this.release = release;
        this.embedder = embedder;
        this.highlighter = highlighter;
        QueryEmbedder queries = embedder != null ? embedder::embedQuery : q -> {
            throw new IllegalStateException("this engine was opened without a model: keyword search only");
        };
        this.searcher = new HybridSearcher(release, queries, highlighter::snippet, candidates);
    }

    /**
     * Opens release {@code id} of {@code store} (verified) with its own model from the same artifact root.
     *
     * @throws ReleaseRejectedException if the release fails verification or cannot be opened
     * @throws IOException              if its model is missing or fails verification
     */
    public static SearchEngine open(ReleaseStore store, String id, Settings settings)
            throws ReleaseRejectedException, IOException {
        Release release = Release.open(store, id, VectorIndexOptions.DEFAULT);
        Embedder embedder = null;
        SnippetHighlighter highlighter = null;
        boolean opened = false;
        try {
            if (settings.embedQueries()) {
                ModelInfo model = new ModelStore(store.root()).locate(release.manifest().model().name(),
                        release.manifest().model().sha256());
                embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(settings.embedThreads()));
            }
            highlighter = new SnippetHighlighter();
            SearchEngine engine = new SearchEngine(release, embedder, highlighter, settings.candidates());
            opened = true;
            return engine;
        } finally {
            if (!opened) {
                closeAll(release, embedder, highlighter);
            }
        }
    }

    public SearchResponse search(SearchRequest request) {
        return searcher.search(request);
    }

    /** The searcher itself, for code that takes one (the evaluator). */
    public HybridSearcher searcher() {
        return searcher;
    }

    public Release release() {
        return release;
    }

    @Override
    public void close() {
        closeAll(release, embedder, highlighter);
    }

    /** Closes in reverse order, each even when an earlier one throws; null parts (no model) are skipped. */
    private static void closeAll(Release release, Embedder embedder, SnippetHighlighter highlighter) {
        try {
            if (highlighter != null) {
                highlighter.close();
            }
        } finally {
            try {
                if (embedder != null) {
                    embedder.close();
                }
            } finally {
                release.close();
            }
        }
    }
}
