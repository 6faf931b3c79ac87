package dev.docsearch.core.keyword;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Normalised discounted cumulative gain at a cut-off, as trec_eval's {@code ndcg_cut} computes it
 * (and so BEIR): gain = the judged relevance, discount = log2(rank + 1) for ranks from 1, ideal DCG
 * from the judgements sorted by relevance. Unjudged documents have gain 0.
 */
final class Ndcg {

    private Ndcg() {
    }

    /**
     * nDCG@k of one ranking.
     *
     * @param ranked document ids, best first (duplicates count once, at their first rank)
     * @param judged document id -> relevance; ids absent or with relevance <= 0 are not relevant
     */
    static double at(int k, List<String> ranked, Map<String, Integer> judged) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        List<Integer> ideal = new ArrayList<>();
        for (int rel : judged.values()) {
            if (rel > 0) {
                ideal.add(rel);
            }
        }
        ideal.sort(Comparator.reverseOrder());
        double idcg = dcg(ideal, k);
        if (idcg == 0) {
            return 0;
        }
        List<Integer> gains = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String id : ranked) {
            if (seen.add(id)) {
                gains.add(Math.max(0, judged.getOrDefault(id, 0)));
            }
        }
        return dcg(gains, k) / idcg;
    }

    /**
     * Mean nDCG@k over every judged query; a judged query with no ranking scores 0.
     *
     * @param rankings query id -> ranked document ids
     * @param qrels    query id -> (document id -> relevance)
     */
    static double mean(int k, Map<String, List<String>> rankings, Map<String, Map<String, Integer>> qrels) {
        if (qrels.isEmpty()) {
            throw new IllegalArgumentException("no judged queries");
        }
        double sum = 0;
        for (Map.Entry<String, Map<String, Integer>> q : qrels.entrySet()) {
            sum += at(k, rankings.getOrDefault(q.getKey(), List.of()), q.getValue());
        }
        return sum / qrels.size();
    }

    private static double dcg(List<Integer> gains, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, gains.size()); i++) {
            dcg += gains.get(i) / (Math.log(i + 2) / Math.log(2));
        }
        return dcg;
    }
}
