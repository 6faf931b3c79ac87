package dev.docsearch.core.search;

import dev.docsearch.core.keyword.KeywordHit;
import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.release.ChunkStore;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.vector.VectorIndex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;

/**
 * Answers queries over one {@link Release}: BM25 top-N and vector top-N over chunks, each list folded into
 * pages (a page ranks by its best chunk, in the vector list plus half its second best), the two page rankings
 * fused by the request's {@link Fusion}, then exact matches first, the guide filter, the request's page of k, and
 * a highlighted snippet of each page's best chunk. A query with misspelled words is searched corrected
 * ({@link QuerySpelling}) and says so.
 *
 * <p>Exact matches first: when the query holds identifiers ({@link QueryIdentifiers}: error names, IAM
 * actions, CLI flags...), the pages among the keyword list's first {@value #EXACT_DEPTH} whose best chunk
 * contains every one of them rank above all others, in keyword order. A pasted identifier is a request for
 * the pages that contain it; fusion alone lets pages that both lists find for one of its words bury them.
 *
 * <p>Stateless apart from its release and embedder, so thread-safe for concurrent queries.
 * Does not own the release or the embedder.
 */
public final class HybridSearcher {

    /** Candidates taken from each retriever; a guide filter takes more so filtered pages are not starved. */
    private final int candidates;
    private final Release release;
    private final QueryEmbedder embedder;
    private final SnippetMaker snippets;

    /** Cuts an HTML-safe, highlighted excerpt of a chunk's text for a query. */
    @FunctionalInterface
    public interface SnippetMaker {
        String snippet(String query, String text);
    }

    /**
     * How much a page's second-best chunk adds to its place in the vector list: best cosine + 0.5 x the second
     * (a page that two passages match is about the question, not one that mentions it once). Chosen on the AWS dev
     * set (docs/benchmarks.md, "A page's rank from all its evidence"); the keyword list ranks by the best chunk.
     */
    static final double SECOND_CHUNK_WEIGHT = 0.5;

    /** How deep in the keyword list exact matches are looked for. */
    static final int EXACT_DEPTH = 20;

    public HybridSearcher(Release release, QueryEmbedder embedder, SnippetMaker snippets) {
        this(release, embedder, snippets, 100);
    }

    public HybridSearcher(Release release, QueryEmbedder embedder, SnippetMaker snippets, int candidates) {
        this.release = Objects.requireNonNull(release, "release");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.snippets = Objects.requireNonNull(snippets, "snippets");
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
        }
        this.candidates = candidates;
    }

    public Release release() {
        return release;
    }

    public SearchResponse search(SearchRequest request) {
        long start = System.nanoTime();
        int n = Math.max(candidates, request.page() * request.k()) * (request.guide() == null ? 1 : 4);
        // Typo tolerance: words the release has never seen are searched as the index's nearest word, by both
        // retrievers (a misspelling embeds as noise) and by the snippets (which highlight what was searched).
        String didYouMean = QuerySpelling.corrected(request.query(), release.keyword()).orElse(null);
        String q = didYouMean != null ? didYouMean : request.query();

        Map<Integer, ChunkStore.ChunkPage> pageCache = new HashMap<>();
        List<PageRank> keywordPages = List.of();
        List<PageRank> semanticPages = List.of();
        long embedMicros = 0;
        // In hybrid mode BM25 runs on a pool thread while this one embeds the query (the longer part): a single
        // query answers sooner on an idle machine. Under load the pool is busy and this thread runs BM25
        // itself (FutureTask.run is a no-op once started elsewhere), so queries never queue behind each other.
        FutureTask<List<KeywordHit>> keywordSearch = null;
        if (request.mode() == SearchMode.HYBRID && !q.isBlank()) {
            keywordSearch = new FutureTask<>(() -> release.keyword().search(q, n));
            ForkJoinPool.commonPool().execute(keywordSearch);
        }
        if (request.mode() == SearchMode.KEYWORD || (request.mode() == SearchMode.HYBRID && q.isBlank())) {
            keywordPages = keywordPages(release.keyword().search(q, n), pageCache);
        }
        try {
            if (request.mode() != SearchMode.KEYWORD && !q.isBlank()) {
                long e0 = System.nanoTime();
                float[] vector = embedder.embed(q);
                embedMicros = (System.nanoTime() - e0) / 1000;
                List<VectorIndex.Hit> hits = release.vectors().search(vector, n);
                semanticPages = foldIntoPages(hits.size(), i -> hits.get(i).ordinal(), i -> hits.get(i).score(),
                        SECOND_CHUNK_WEIGHT, pageCache);
            }
        } finally {
            if (keywordSearch != null) {
                // Even when embedding failed: the caller may close the release once this returns, so the
                // keyword search must be over by then.
                keywordSearch.run();
                awaitQuietly(keywordSearch);
            }
        }
        if (keywordSearch != null) {
            keywordPages = keywordPages(joined(keywordSearch), pageCache);
        }

        List<String> identifiers = request.mode() == SearchMode.HYBRID ? QueryIdentifiers.of(q) : List.of();
        Map<String, Fused> fused = fuse(request, q, identifiers, keywordPages, semanticPages);
        List<Fused> ranked = new ArrayList<>(fused.values());
        ranked.sort(Comparator.comparingDouble((Fused f) -> -f.score).thenComparing(f -> f.pageId));
        ranked = exactMatchesFirst(identifiers, keywordPages, fused, ranked);

        Map<String, Integer> guideCounts = new TreeMap<>();
        List<Fused> matching = new ArrayList<>();
        for (Fused f : ranked) {
            guideCounts.merge(f.guide, 1, Integer::sum);
            if (request.guide() == null || request.guide().equals(f.guide)) {
                matching.add(f);
            }
        }
        int from = Math.min(request.offset(), matching.size());
        int to = Math.min(request.offset() + request.k(), matching.size());
        List<SearchHit> hits = new ArrayList<>(to - from);
        for (Fused f : matching.subList(from, to)) {
            Chunk c = release.chunks().get(f.bestOrdinal);
            hits.add(new SearchHit(c.pageId(), c.id(), c.title(), c.url(), c.sectionUrl(), c.guide(), c.section(),
                    snippets.snippet(q, c.text()), f.score, f.keyword == null ? null : f.keyword.rank(),
                    f.semantic == null ? null : f.semantic.rank()));
        }
        return new SearchResponse(release.id(), hits, matching.size(), guideCounts, embedMicros,
                (System.nanoTime() - start) / 1000, didYouMean);
    }

    private List<PageRank> keywordPages(List<KeywordHit> hits, Map<Integer, ChunkStore.ChunkPage> cache) {
        return foldIntoPages(hits.size(), i -> hits.get(i).ordinal(), i -> hits.get(i).score(), 0, cache);
    }

    private static void awaitQuietly(FutureTask<?> task) {
        boolean interrupted = false;
        while (!task.isDone()) {
            try {
                task.get();
            } catch (InterruptedException e) {
                interrupted = true; // finish waiting: the search reads the release
            } catch (ExecutionException e) {
                break; // reported by joined()
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The task's result, its failure rethrown as it was thrown. */
    private static <T> T joined(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the keyword search", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A page's place in one retriever's list: its rank among pages, its best chunk there and that chunk's score. */
    private record PageRank(String pageId, String guide, int rank, int bestOrdinal, float score) {
    }

    /**
     * One retriever's chunk hits, best first (hit i: its ordinal and score), as pages: ranked by their best chunk's
     * score plus {@code secondWeight} times their second best (0: by the best alone), each keeping its best chunk
     * and that chunk's score.
     */
    private List<PageRank> foldIntoPages(int hits, IntUnaryOperator ordinal, IntToDoubleFunction score,
                                         double secondWeight, Map<Integer, ChunkStore.ChunkPage> cache) {
        Map<String, PageRank> pages = new LinkedHashMap<>();
        Map<String, Double> second = new HashMap<>();
        for (int i = 0; i < hits; i++) {
            int o = ordinal.applyAsInt(i);
            ChunkStore.ChunkPage c = cache.computeIfAbsent(o, x -> release.chunks().page(x));
            if (!pages.containsKey(c.pageId())) {
                pages.put(c.pageId(), new PageRank(c.pageId(), c.guide(), pages.size() + 1, o,
                        (float) score.applyAsDouble(i)));
            } else if (secondWeight != 0) {
                second.putIfAbsent(c.pageId(), score.applyAsDouble(i));
            }
        }
        List<PageRank> ranked = new ArrayList<>(pages.values());
        if (secondWeight == 0) {
            return ranked;
        }
        // A stable sort: pages that tie keep the order of their best chunks.
        ranked.sort(Comparator.comparingDouble(
                (PageRank p) -> -(p.score() + secondWeight * second.getOrDefault(p.pageId(), 0.0))));
        List<PageRank> out = new ArrayList<>(ranked.size());
        for (PageRank p : ranked) {
            out.add(new PageRank(p.pageId(), p.guide(), out.size() + 1, p.bestOrdinal(), p.score()));
        }
        return out;
    }

    private static final class Fused {
        final String pageId;
        final String guide;
        double score;
        PageRank keyword;
        PageRank semantic;
        int bestOrdinal;
        int bestChunkRank = Integer.MAX_VALUE;

        Fused(String pageId, String guide) {
            this.pageId = pageId;
            this.guide = guide;
        }
    }

    private Map<String, Fused> fuse(SearchRequest request, String q, List<String> identifiers, List<PageRank> keyword,
                                    List<PageRank> semantic) {
        Map<String, Fused> out = new HashMap<>();
        QueryShape shape = request.mode() == SearchMode.HYBRID ? QueryShape.of(q, identifiers) : QueryShape.TERMS;
        for (PageRank p : keyword) {
            Fused f = out.computeIfAbsent(p.pageId(), id -> new Fused(id, p.guide()));
            f.keyword = p;
            offerBestChunk(f, p);
        }
        for (PageRank p : semantic) {
            Fused f = out.computeIfAbsent(p.pageId(), id -> new Fused(id, p.guide()));
            f.semantic = p;
            offerBestChunk(f, p);
        }
        Fusion.Range keywordRange = range(keyword);
        Fusion.Range semanticRange = range(semantic);
        for (Fused f : out.values()) {
            f.score = switch (request.mode()) {
                case KEYWORD -> f.keyword.score();
                case SEMANTIC -> f.semantic.score();
                case HYBRID -> request.fusion().score(new Fusion.Evidence(
                        f.keyword == null ? 0 : f.keyword.rank(), f.keyword == null ? 0 : f.keyword.score(),
                        f.semantic == null ? 0 : f.semantic.rank(), f.semantic == null ? 0 : f.semantic.score(),
                        keywordRange, semanticRange, shape));
            };
        }
        return out;
    }

    private static Fusion.Range range(List<PageRank> pages) {
        if (pages.isEmpty()) {
            return new Fusion.Range(0, 0);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (PageRank p : pages) {
            min = Math.min(min, p.score());
            max = Math.max(max, p.score());
        }
        return new Fusion.Range(min, max);
    }

    /** The ranking with the pages whose best keyword chunk holds every one of these identifiers moved first. */
    private List<Fused> exactMatchesFirst(List<String> identifiers, List<PageRank> keyword, Map<String, Fused> fused,
                                          List<Fused> ranked) {
        if (identifiers.isEmpty()) {
            return ranked;
        }
        List<Fused> exact = new ArrayList<>();
        for (PageRank p : keyword.subList(0, Math.min(EXACT_DEPTH, keyword.size()))) {
            if (QueryIdentifiers.allIn(identifiers, release.chunks().get(p.bestOrdinal()).text())) {
                Fused f = fused.get(p.pageId());
                // Its snippet shows the identifier: the keyword chunk, whichever list ranked the page higher.
                f.bestOrdinal = p.bestOrdinal();
                exact.add(f);
            }
        }
        if (exact.isEmpty()) {
            return ranked;
        }
        List<Fused> out = new ArrayList<>(exact);
        for (Fused f : ranked) {
            if (!exact.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The snippet comes from whichever retriever ranked the page higher (ties go to the keyword chunk). */
    private static void offerBestChunk(Fused f, PageRank p) {
        if (p.rank() < f.bestChunkRank) {
            f.bestChunkRank = p.rank();
            f.bestOrdinal = p.bestOrdinal();
        }
    }
}
