package dev.docsearch.core.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NdcgTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void perfectRankingScoresOne() {
        assertThat(Ndcg.at(10, List.of("a", "b", "x"), Map.of("a", 1, "b", 1))).isEqualTo(1.0);
    }

    @Test
    void relevantDocumentsLowerDownAreDiscountedByLog2OfRankPlusOne() {
        // DCG = 1/log2(3) + 1/log2(4); ideal = 1 + 1/log2(3)
        double expected = (1 / LOG2_3 + 0.5) / (1 + 1 / LOG2_3);
        assertThat(Ndcg.at(10, List.of("x", "a", "b"), Map.of("a", 1, "b", 1))).isCloseTo(expected, within(1e-12));
    }

    @Test
    void gradedRelevanceIsTheGain() {
        double expected = (1 + 2 / LOG2_3) / (2 + 1 / LOG2_3);
        assertThat(Ndcg.at(10, List.of("b", "a"), Map.of("a", 2, "b", 1))).isCloseTo(expected, within(1e-12));
    }

    @Test
    void documentsBelowTheCutOffCountForNothing() {
        List<String> ranking = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ranking.add("unjudged" + i);
        }
        ranking.add("a");
        assertThat(Ndcg.at(10, ranking, Map.of("a", 1))).isZero();
        assertThat(Ndcg.at(11, ranking, Map.of("a", 1))).isCloseTo(1 / (Math.log(12) / Math.log(2)), within(1e-12));
    }

    @Test
    void meanCountsJudgedQueriesWithoutRankingAsZero() {
        Map<String, Map<String, Integer>> qrels = Map.of("q1", Map.of("a", 1), "q2", Map.of("b", 1));
        assertThat(Ndcg.mean(10, Map.of("q1", List.of("a")), qrels)).isEqualTo(0.5);
        assertThatThrownBy(() -> Ndcg.at(0, List.of(), Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
