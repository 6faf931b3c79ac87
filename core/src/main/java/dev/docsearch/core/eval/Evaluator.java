package dev.docsearch.core.eval;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.docsearch.core.search.Fusion;
import dev.docsearch.core.search.HybridSearcher;
import dev.docsearch.core.search.SearchHit;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs a dataset's queries through a searcher in each mode and scores the rankings. */
public final class Evaluator {

    /** Depth of every ranking: Recall@100 needs 100 pages. */
    private static final int DEPTH = 100;

    /** Chunks each retriever hands to fusion when evaluating: more than 100, so that 100 pages can be ranked. */
    public static final int CANDIDATES = 200;

    /** The {@link TypeScores#type} of the scores over every query of a docs dev set. */
    public static final String ALL_TYPES = "all";

    /**
     * A way of ranking, as named in reports: keyword, semantic, hybrid (the default fusion, {@link Fusion.Auto}),
     * and hybrid fused by RRF alone, by the prototype's linear blend and by the convex blend alone.
     */
    public record Variant(String name, SearchMode mode, Fusion fusion) {
        /** The six, with the default fusions. */
        public static final List<Variant> ALL = with(Fusion.AUTO.rrf(), Fusion.AUTO.terms());

        /** The six, with this RRF and this convex blend in hybrid and on their own (to measure other weights). */
        public static List<Variant> with(Fusion.Rrf rrf, Fusion.Convex convex) {
            return List.of(
                    new Variant("keyword", SearchMode.KEYWORD, rrf),
                    new Variant("semantic", SearchMode.SEMANTIC, rrf),
                    new Variant("hybrid", SearchMode.HYBRID, new Fusion.Auto(rrf, convex)),
                    new Variant("rrf", SearchMode.HYBRID, rrf),
                    new Variant("linear", SearchMode.HYBRID, new Fusion.Linear(0.5)),
                    new Variant("convex", SearchMode.HYBRID, convex));
        }
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
            return String.format(Locale.ROOT,
                    "{\"mode\":\"%s\",\"ndcg@10\":%.4f,\"mrr@10\":%.4f,\"recall@100\":%.4f,\"queries\":%d,"
                            + "\"median_ms\":%.2f,\"p99_ms\":%.2f}",
                    mode, ndcgAt10, mrrAt10, recallAt100, queries, medianMicros / 1000.0, p99Micros / 1000.0);
        }
    }

    /**
     * Scores of one variant over the queries of one type of a docs dev set ({@link JudgedQueries}), or over all
     * of them ({@link #ALL_TYPES}); each figure is the mean over those queries.
     *
     * @param type         a query type, or {@link #ALL_TYPES}
     * @param ndcgAt10     nDCG@10 with graded gains (a page graded 2 gains 2, one graded 1 gains 1)
     * @param mrrAt10      reciprocal rank of the first page graded {@link JudgedQueries#ANSWER} within the top 10
     * @param recallAt100  share of the pages graded 1 or more that are within the top 100
     * @param top3         share of queries with a page graded {@link JudgedQueries#ANSWER} within the top 3
     * @param queries      queries scored
     * @param medianMicros median searcher time per query
     * @param p99Micros    99th percentile searcher time per query
     */
    public record TypeScores(String mode, String type, double ndcgAt10, double mrrAt10, double recallAt100,
                             double top3, int queries, long medianMicros, long p99Micros) {
        /** One JSON object, the format {@code eval --json} prints for a docs dev set. */
        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"mode\":\"%s\",\"type\":\"%s\",\"ndcg@10\":%.4f,\"mrr@10\":%.4f,\"recall@100\":%.4f,"
                            + "\"top3\":%.4f,\"queries\":%d,\"median_ms\":%.2f,\"p99_ms\":%.2f}",
                    mode, new String(JsonStringEncoder.getInstance().quoteAsString(type)), ndcgAt10, mrrAt10,
                    recallAt100, top3, queries, medianMicros / 1000.0, p99Micros / 1000.0);
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
            long start = System.nanoTime();
            List<String> ranked = ranked(searcher, q.getValue(), variant);
            micros[i++] = (System.nanoTime() - start) / 1000;
            Map<String, Integer> relevant = data.qrels().get(q.getKey());
            ndcg += RankingMetrics.ndcg(ranked, relevant, 10);
            mrr += RankingMetrics.mrr(ranked, relevant, 10);
            recall += RankingMetrics.recall(ranked, relevant, DEPTH);
        }
        int n = Math.max(1, data.queries().size());
        Arrays.sort(micros);
        return new Scores(variant.name(), ndcg / n, mrr / n, recall / n, data.queries().size(), median(micros),
                p99(micros));
    }

    /**
     * Scores a variant on a docs dev set, per query type and overall: one {@link TypeScores} per type that has
     * queries, in {@link JudgedQueries#types()} order, then one for {@link #ALL_TYPES}. The judgements should
     * already be restricted to the searcher's release ({@link JudgedQueries#within}).
     *
     * @throws IllegalArgumentException if a query's type is {@link #ALL_TYPES}
     */
    public static List<TypeScores> evaluateByType(HybridSearcher searcher, JudgedQueries data, Variant variant) {
        if (data.types().contains(ALL_TYPES)) {
            throw new IllegalArgumentException(data.name() + ": a query type may not be named '" + ALL_TYPES
                    + "', the name of the scores over every query");
        }
        List<String> types = new ArrayList<>(data.types());
        types.add(ALL_TYPES);
        Map<String, double[]> sums = new LinkedHashMap<>(); // nDCG@10, MRR@10, Recall@100, top3
        Map<String, List<Long>> micros = new LinkedHashMap<>();
        for (String t : types) {
            sums.put(t, new double[4]);
            micros.put(t, new ArrayList<>());
        }
        for (JudgedQueries.Query q : data.queries()) {
            long start = System.nanoTime();
            List<String> ranked = ranked(searcher, q.text(), variant);
            long took = (System.nanoTime() - start) / 1000;
            Map<String, Integer> grades = q.grades();
            double[] figures = {
                    RankingMetrics.ndcg(ranked, grades, 10),
                    RankingMetrics.mrr(ranked, grades, 10, JudgedQueries.ANSWER),
                    RankingMetrics.recall(ranked, grades, DEPTH, 1),
                    RankingMetrics.success(ranked, grades, 3, JudgedQueries.ANSWER)};
            for (String t : List.of(q.type(), ALL_TYPES)) {
                double[] sum = sums.get(t);
                for (int f = 0; f < figures.length; f++) {
                    sum[f] += figures[f];
                }
                micros.get(t).add(took);
            }
        }
        List<TypeScores> out = new ArrayList<>(types.size());
        for (String t : types) {
            double[] sum = sums.get(t);
            long[] times = micros.get(t).stream().mapToLong(Long::longValue).sorted().toArray();
            int n = Math.max(1, times.length);
            out.add(new TypeScores(variant.name(), t, sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, times.length,
                    median(times), p99(times)));
        }
        return out;
    }

    /** The page ids of a query's ranking, best first, {@link #DEPTH} deep. */
    private static List<String> ranked(HybridSearcher searcher, String query, Variant variant) {
        SearchRequest request = new SearchRequest(query, DEPTH, variant.mode(), variant.fusion(), null);
        List<SearchHit> hits = searcher.search(request).hits();
        List<String> ranked = new ArrayList<>(hits.size());
        for (SearchHit h : hits) {
            ranked.add(h.pageId());
        }
        return ranked;
    }

    private static long median(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static long p99(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
    }
}
