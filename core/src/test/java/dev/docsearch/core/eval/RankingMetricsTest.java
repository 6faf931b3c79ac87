package dev.docsearch.core.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The metrics on small graded rankings, every figure computed by hand. */
class RankingMetricsTest {

    private static final double EPS = 1e-12;
    /** 1 / log2(3): the discount at rank 2. */
    private static final double AT2 = Math.log(2) / Math.log(3);

    /** a (grade 1) at rank 1, b unjudged, c (grade 2) at rank 3, d unjudged; e (grade 1) is not ranked. */
    private static final List<String> RANKED = List.of("a", "b", "c", "d");
    private static final Map<String, Integer> GRADES = Map.of("a", 1, "c", 2, "e", 1);

    @Test
    void ndcgGainsEachPageItsGrade() {
        // DCG = 1/log2(2) + 2/log2(4) = 1 + 1; ideal order 2, 1, 1: 2/1 + 1/log2(3) + 1/log2(4).
        assertThat(RankingMetrics.ndcg(RANKED, GRADES, 10)).isCloseTo(2 / (2 + AT2 + 0.5), within(EPS));
        // At 2: DCG = 1 (a); ideal 2 + 1/log2(3).
        assertThat(RankingMetrics.ndcg(RANKED, GRADES, 2)).isCloseTo(1 / (2 + AT2), within(EPS));
        // A grade-2 page at rank 2 and a grade-1 page at rank 3: (2/log2(3) + 1/2) / (2 + 1/log2(3)).
        assertThat(RankingMetrics.ndcg(List.of("x", "c", "a"), Map.of("c", 2, "a", 1), 10))
                .isCloseTo((2 * AT2 + 0.5) / (2 + AT2), within(EPS));
        // The ideal ranking scores 1, whatever the grades.
        assertThat(RankingMetrics.ndcg(List.of("c", "a", "e"), GRADES, 10)).isCloseTo(1.0, within(EPS));
        // Swapping a grade-2 and a grade-1 page costs: (1 + 2/log2(3)) / (2 + 1/log2(3)).
        assertThat(RankingMetrics.ndcg(List.of("a", "c"), Map.of("a", 1, "c", 2), 10))
                .isCloseTo((1 + 2 * AT2) / (2 + AT2), within(EPS)).isLessThan(1.0);
    }

    @Test
    void ndcgCountsNothingBelowTheCutOff() {
        List<String> ranked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ranked.add("unjudged" + i);
        }
        ranked.add("a");
        assertThat(RankingMetrics.ndcg(ranked, Map.of("a", 1), 10)).isZero();
        assertThat(RankingMetrics.ndcg(ranked, Map.of("a", 1), 11)).isCloseTo(Math.log(2) / Math.log(12), within(EPS));
    }

    @Test
    void mrrCountsTheFirstPageOfAtLeastTheGradeAsked() {
        assertThat(RankingMetrics.mrr(RANKED, GRADES, 10)).isEqualTo(1.0);
        assertThat(RankingMetrics.mrr(RANKED, GRADES, 10, 1)).isEqualTo(1.0);
        assertThat(RankingMetrics.mrr(RANKED, GRADES, 10, 2)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(RankingMetrics.mrr(RANKED, GRADES, 2, 2)).isZero();
        assertThat(RankingMetrics.mrr(RANKED, GRADES, 10, 3)).isZero();
    }

    @Test
    void recallIsTheShareOfPagesOfAtLeastTheGradeFound() {
        assertThat(RankingMetrics.recall(RANKED, GRADES, 100)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(RankingMetrics.recall(RANKED, GRADES, 100, 1)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(RankingMetrics.recall(RANKED, GRADES, 2, 1)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(RankingMetrics.recall(RANKED, GRADES, 100, 2)).isEqualTo(1.0);
        assertThat(RankingMetrics.recall(RANKED, GRADES, 2, 2)).isZero();
    }

    @Test
    void successIsWhetherAPageOfAtLeastTheGradeIsInTheTopK() {
        assertThat(RankingMetrics.success(RANKED, GRADES, 3, 2)).isEqualTo(1.0);
        assertThat(RankingMetrics.success(RANKED, GRADES, 2, 2)).isZero();
        assertThat(RankingMetrics.success(RANKED, GRADES, 1, 1)).isEqualTo(1.0);
        assertThat(RankingMetrics.success(List.of(), GRADES, 3, 1)).isZero();
    }

    @Test
    void nothingJudgedScoresZeroAndGradeZeroIsRefused() {
        Map<String, Integer> none = Map.of("a", 0);
        assertThat(RankingMetrics.ndcg(RANKED, none, 10)).isZero();
        assertThat(RankingMetrics.mrr(RANKED, none, 10)).isZero();
        assertThat(RankingMetrics.recall(RANKED, none, 100)).isZero();
        assertThat(RankingMetrics.ndcg(RANKED, Map.of(), 10)).isZero();
        assertThatThrownBy(() -> RankingMetrics.mrr(RANKED, GRADES, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minGrade");
        assertThatThrownBy(() -> RankingMetrics.recall(RANKED, GRADES, 10, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
