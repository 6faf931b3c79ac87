package dev.docsearch.core.eval;

import java.util.List;
import java.util.Map;

/**
 * The standard ranking metrics, as BEIR/trec_eval compute them: nDCG@k with graded gains and a log2
 * discount, MRR@k over the first relevant result, Recall@k over the judged relevant documents.
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

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

    public static double mrr(List<String> ranked, Map<String, Integer> relevant, int k) {
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.getOrDefault(ranked.get(i), 0) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    public static double recall(List<String> ranked, Map<String, Integer> relevant, int k) {
        long total = relevant.values().stream().filter(g -> g > 0).count();
        if (total == 0) {
            return 0;
        }
        long found = ranked.stream().limit(k).filter(id -> relevant.getOrDefault(id, 0) > 0).count();
        return (double) found / total;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
