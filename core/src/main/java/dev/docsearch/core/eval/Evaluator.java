package dev.docsearch.core.eval;

import dev.docsearch.core.search.Fusion;
import dev.docsearch.core.search.HybridSearcher;
import dev.docsearch.core.search.SearchHit;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs a dataset's queries through a searcher in each mode and scores the rankings. */
public final class Evaluator {

    /** Depth of every ranking: Recall@100 needs 100 pages. */
    private static final int DEPTH = 100;

    /** A way of ranking, as named in reports: keyword, semantic, hybrid (RRF) and linear (alpha blend). */
    public record Variant(String name, SearchMode mode, Fusion fusion) {
        public static final List<Variant> ALL = List.of(
                new Variant("keyword", SearchMode.KEYWORD, Fusion.RRF),
                new Variant("semantic", SearchMode.SEMANTIC, Fusion.RRF),
                new Variant("hybrid", SearchMode.HYBRID, Fusion.RRF),
                new Variant("linear", SearchMode.HYBRID, new Fusion.Linear(0.5)));
    }

    /**
     * Scores of one variant over a dataset's queries.
     *
     * @param medianMicros median searcher time per query
     * @param p99Micros    99th percentile searcher time per query
     */
    public record Scores(String mode, double ndcgAt10, double mrrAt10, double recallAt100, int queries,
                         long medianMicros, long p99Micros) {
        /** One JSON object, the format {@code eval --json} prints. */
        public String toJson() {
            return String.format(java.util.Locale.ROOT,
                    "{\"mode\":\"%s\",\"ndcg@10\":%.4f,\"mrr@10\":%.4f,\"recall@100\":%.4f,\"queries\":%d,"
                            + "\"median_ms\":%.2f,\"p99_ms\":%.2f}",
                    mode, ndcgAt10, mrrAt10, recallAt100, queries, medianMicros / 1000.0, p99Micros / 1000.0);
        }
    }

    private Evaluator() {
    }

    public static Scores evaluate(HybridSearcher searcher, BeirDataset data, Variant variant) {
        double ndcg = 0;
        double mrr = 0;
        double recall = 0;
        long[] micros = new long[data.queries().size()];
        int i = 0;
        for (Map.Entry<String, String> q : data.queries().entrySet()) {
            SearchRequest request = new SearchRequest(q.getValue(), DEPTH, variant.mode(), variant.fusion(), null);
            long start = System.nanoTime();
            List<SearchHit> hits = searcher.search(request).hits();
            micros[i++] = (System.nanoTime() - start) / 1000;
            List<String> ranked = new ArrayList<>(hits.size());
            for (SearchHit h : hits) {
                ranked.add(h.pageId());
            }
            Map<String, Integer> relevant = data.qrels().get(q.getKey());
            ndcg += RankingMetrics.ndcg(ranked, relevant, 10);
            mrr += RankingMetrics.mrr(ranked, relevant, 10);
            recall += RankingMetrics.recall(ranked, relevant, DEPTH);
        }
        int n = Math.max(1, data.queries().size());
        Arrays.sort(micros);
        long median = micros.length == 0 ? 0 : micros[micros.length / 2];
        long p99 = micros.length == 0 ? 0 : micros[Math.min(micros.length - 1, (int) Math.ceil(micros.length * 0.99) - 1)];
        return new Scores(variant.name(), ndcg / n, mrr / n, recall / n, data.queries().size(), median, p99);
    }
}
