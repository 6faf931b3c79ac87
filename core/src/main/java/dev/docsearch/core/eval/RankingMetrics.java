package dev.docsearch.core.eval;

import java.util.List;
import java.util.Map;

/**
 * The standard ranking metrics, as BEIR/trec_eval compute them: nDCG@k with graded gains and a log2
 * discount, MRR@k over the first relevant result, Recall@k over the judged relevant documents, and success@k
 * (whether a relevant result is in the top k).
 *
 * <p>Judgements map a document id to its grade; an unlisted document has grade 0. "Relevant" means a grade of at
 * least 1, or of at least {@code minGrade} where a method takes one: on a 0/1/2 scale, {@code minGrade} 2 asks
 * for the documents that answer the query, 1 for every document of some use. nDCG always gains a document's
 * grade (2 gains twice what 1 does).
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /**
     * nDCG@k with graded gains: {@code sum(grade(d_i) / log2(i + 1))} over the top k (i from 1), divided by the
     * same sum for the ideal ranking of every judged document with a grade above 0.
     *
     * @return in [0, 1]; 0 when nothing is judged relevant
     */
    public static double ndcg(List<String> ranked, Map<String, Integer> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            int gain = relevant.getOrDefault(ranked.get(i), 0);
            if (gain > 0) {
                dcg += gain / log2(i + 2);
            }
        }
        int[] ideal = relevant.values().stream().filter(g -> g > 0).mapToInt(Integer::intValue)
                .boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.length); i++) {
            idcg += ideal[i] / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** {@link #mrr(List, Map, int, int)} over the documents graded 1 or more. */
    public static double mrr(List<String> ranked, Map<String, Integer> relevant, int k) {
        return mrr(ranked, relevant, k, 1);
    }

    /**
     * Reciprocal rank of the first document within the top k graded at least {@code minGrade}.
     *
     * @return 1/rank, or 0 when there is none in the top k
     * @throws IllegalArgumentException if {@code minGrade < 1} (unjudged documents would count)
     */
    public static double mrr(List<String> ranked, Map<String, Integer> relevant, int k, int minGrade) {
        checkGrade(minGrade);
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.getOrDefault(ranked.get(i), 0) >= minGrade) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    /** {@link #recall(List, Map, int, int)} over the documents graded 1 or more. */
    public static double recall(List<String> ranked, Map<String, Integer> relevant, int k) {
        return recall(ranked, relevant, k, 1);
    }

    /**
     * Share of the documents graded at least {@code minGrade} that are within the top k.
     *
     * @return in [0, 1]; 0 when no document has such a grade
     * @throws IllegalArgumentException if {@code minGrade < 1}
     */
    public static double recall(List<String> ranked, Map<String, Integer> relevant, int k, int minGrade) {
        checkGrade(minGrade);
        long total = relevant.values().stream().filter(g -> g >= minGrade).count();
        if (total == 0) {
            return 0;
        }
        long found = ranked.stream().limit(k).filter(id -> relevant.getOrDefault(id, 0) >= minGrade).count();
        return (double) found / total;
    }

    /**
     * Success@k: 1 when a document graded at least {@code minGrade} is within the top k, else 0 (averaged over
     * queries, the share of queries with such a document in the top k).
     *
     * @throws IllegalArgumentException if {@code minGrade < 1}
     */
    public static double success(List<String> ranked, Map<String, Integer> relevant, int k, int minGrade) {
        return mrr(ranked, relevant, k, minGrade) > 0 ? 1 : 0;
    }

    private static void checkGrade(int minGrade) {
        if (minGrade < 1) {
            throw new IllegalArgumentException("minGrade must be >= 1 (grade 0 is every unjudged document), was "
                    + minGrade);
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
