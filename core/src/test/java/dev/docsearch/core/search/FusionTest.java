package dev.docsearch.core.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The fusion strategies' arithmetic: what each gives a page for its ranks and scores. */
class FusionTest {

    private static Fusion.Evidence ranks(int keyword, int semantic, QueryShape shape) {
        return new Fusion.Evidence(keyword, keyword > 0 ? 10f / keyword : 0, semantic,
                semantic > 0 ? 0.9f / semantic : 0, new Fusion.Range(1f, 10f), new Fusion.Range(0.5f, 0.9f), shape);
    }

    @Test
    void rrfSumsReciprocalRanksAndWeighsTheSemanticListForQuestions() {
        Fusion.Rrf rrf = new Fusion.Rrf(60, 3, 0.5);
        assertThat(rrf.score(ranks(1, 2, QueryShape.TERMS))).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
        assertThat(rrf.score(ranks(1, 2, QueryShape.QUESTION))).isCloseTo(1.0 / 61 + 3.0 / 62, within(1e-12));
        assertThat(rrf.score(ranks(0, 0, QueryShape.QUESTION))).isZero();
        // For terms a keyword-only first beats a semantic-only second; for a question the order flips.
        assertThat(rrf.score(ranks(1, 0, QueryShape.TERMS))).isGreaterThan(rrf.score(ranks(0, 2, QueryShape.TERMS)));
        assertThat(rrf.score(ranks(1, 0, QueryShape.QUESTION))).isLessThan(rrf.score(ranks(0, 2, QueryShape.QUESTION)));
        // A pasted identifier leans on the keyword list: the semantic one counts half here.
        assertThat(rrf.score(ranks(3, 1, QueryShape.IDENTIFIER))).isCloseTo(1.0 / 63 + 0.5 / 61, within(1e-12));
        assertThat(rrf.score(ranks(2, 0, QueryShape.IDENTIFIER))).isGreaterThan(rrf.score(ranks(0, 1, QueryShape.IDENTIFIER)));
        assertThat(Fusion.RRF.questionSemanticWeight()).isEqualTo(Fusion.Rrf.QUESTION_SEMANTIC_WEIGHT);
        assertThat(Fusion.RRF.identifierSemanticWeight()).isEqualTo(Fusion.Rrf.IDENTIFIER_SEMANTIC_WEIGHT);
        assertThat(Fusion.RRF.label()).isEqualTo("rrf");
    }

    @Test
    void linearBlendsTheCosineWithTheNormalisedBm25() {
        Fusion.Linear linear = new Fusion.Linear(0.25);
        assertThat(linear.score(ranks(2, 1, QueryShape.TERMS))).isCloseTo(0.25 * 0.9 + 0.75 * 0.5, within(1e-6));
        assertThat(linear.score(ranks(0, 1, QueryShape.QUESTION))).isCloseTo(0.25 * 0.9, within(1e-6));
        assertThat(linear.label()).isEqualTo("linear");
    }

    @Test
    void convexBlendsScoresScaledToTheirListsRange() {
        Fusion.Convex convex = new Fusion.Convex(0.25);
        // keyword 10/2 = 5 in 1..10 is 4/9; semantic 0.9 in 0.5..0.9 is 1.
        assertThat(convex.score(ranks(2, 1, QueryShape.TERMS))).isCloseTo(0.25 * 1 + 0.75 * 4.0 / 9, within(1e-6));
        // The lowest score of a list counts 0, the same as no place in it.
        assertThat(convex.score(ranks(10, 0, QueryShape.TERMS))).isCloseTo(0.75 * 0, within(1e-6));
        assertThat(convex.score(ranks(0, 1, QueryShape.QUESTION))).isCloseTo(0.25, within(1e-6));
        Fusion.Evidence oneHit = new Fusion.Evidence(1, 3f, 1, 0.7f, new Fusion.Range(3f, 3f),
                new Fusion.Range(0.7f, 0.7f), QueryShape.TERMS);
        assertThat(convex.score(oneHit)).as("a list of one scores it 1").isCloseTo(1.0, within(1e-9));
        assertThat(convex.label()).isEqualTo("convex");
    }

    @Test
    void autoFusesQuestionsAndIdentifiersByRanksAndTermsByScores() {
        Fusion.Auto auto = Fusion.AUTO;
        assertThat(auto.rrf()).isEqualTo(Fusion.RRF);
        assertThat(auto.terms()).isEqualTo(new Fusion.Convex(Fusion.Auto.TERMS_ALPHA));
        for (QueryShape shape : QueryShape.values()) {
            Fusion.Evidence e = ranks(2, 1, shape);
            double expected = shape == QueryShape.TERMS ? auto.terms().score(e) : Fusion.RRF.score(e);
            assertThat(auto.score(e)).as(shape.name()).isEqualTo(expected);
        }
        assertThat(auto.label()).isEqualTo("auto");
        assertThatThrownBy(() -> new Fusion.Convex(1.5)).hasMessageContaining("alpha must be in 0..1");
    }

    @Test
    void outOfRangeParametersAreRefused() {
        assertThatThrownBy(() -> new Fusion.Rrf(0, 1, 1)).hasMessageContaining("RRF k must be >= 1");
        assertThatThrownBy(() -> new Fusion.Rrf(60, 0, 1)).hasMessageContaining("semantic weight");
        assertThatThrownBy(() -> new Fusion.Rrf(60, Double.NaN, 1)).hasMessageContaining("semantic weight");
        assertThatThrownBy(() -> new Fusion.Rrf(60, 1, 0)).hasMessageContaining("semantic weight for identifiers");
        assertThatThrownBy(() -> new Fusion.Linear(1.5)).hasMessageContaining("alpha must be in 0..1");
    }
}
