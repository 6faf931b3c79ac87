package dev.docsearch.core.search;

/**
 * How {@link SearchMode#HYBRID} combines the two page rankings into one score per page. A strategy is a value:
 * requests carry one, and it is named in answers by its {@link #label()}.
 */
public sealed interface Fusion permits Fusion.Rrf, Fusion.Linear, Fusion.Convex, Fusion.Auto {

    /**
     * Reciprocal rank fusion with the k of Cormack et al. (2009), the semantic list weighted
     * {@value Rrf#QUESTION_SEMANTIC_WEIGHT} times for {@link QueryShape#QUESTION questions} and
     * {@value Rrf#IDENTIFIER_SEMANTIC_WEIGHT} times for {@link QueryShape#IDENTIFIER pasted identifiers}.
     */
    Rrf RRF = new Rrf(60, Rrf.QUESTION_SEMANTIC_WEIGHT, Rrf.IDENTIFIER_SEMANTIC_WEIGHT);

    /**
     * The default: {@link #RRF} for questions and pasted identifiers, the convex blend at alpha
     * {@value Auto#TERMS_ALPHA} for plain terms.
     */
    Auto AUTO = new Auto(RRF, new Convex(Auto.TERMS_ALPHA));

    /**
     * A page's evidence: its rank (1-based; 0 when the list does not hold it) and best chunk score in each list,
     * the range of each list's page scores (BM25 scores are unbounded, and cosines of one model crowd into a narrow
     * band), and the shape of the query.
     */
    record Evidence(int keywordRank, float keywordScore, int semanticRank, float semanticScore, Range keywordRange,
                    Range semanticRange, QueryShape shape) {
    }

    /** The lowest and highest page score of one list (both 0 for an empty list). */
    record Range(float min, float max) {
        /** Where {@code score} lies between min (0) and max (1); 1 when the list's scores are all equal. */
        double normalised(float score) {
            return max > min ? (score - min) / (max - min) : 1;
        }
    }

    /** The page's fused score: higher is better. */
    double score(Evidence e);

    /** The name answers use: {@code auto}, {@code rrf}, {@code linear} or {@code convex}. */
    String label();

    /**
     * Reciprocal rank fusion: 1/(k + keyword rank) + w/(k + semantic rank), blind to the two scores' scales and so
     * robust across queries. w is 1 for terms, {@code questionSemanticWeight} for questions and
     * {@code identifierSemanticWeight} for pasted identifiers.
     */
    record Rrf(int k, double questionSemanticWeight, double identifierSemanticWeight) implements Fusion {

        /**
         * Chosen on the AWS dev set's questions, on the full release and the sample alike (docs/benchmarks.md,
         * "Fusion by query shape").
         */
        public static final double QUESTION_SEMANTIC_WEIGHT = 12.0;
        /**
         * Small enough that the keyword order stands through the top ten (1/(k+r) - 1/(k+r+1) is above 0.0002 there,
         * the semantic list adds at most 0.01/61): the semantic list only breaks ties and adds pages BM25 missed.
         * Chosen on the AWS dev set's identifiers (docs/benchmarks.md, "Fusion by query shape").
         */
        public static final double IDENTIFIER_SEMANTIC_WEIGHT = 0.01;

        public Rrf {
            if (k < 1) {
                throw new IllegalArgumentException("RRF k must be >= 1, was " + k);
            }
            if (!(questionSemanticWeight > 0 && questionSemanticWeight <= 100)) {
                throw new IllegalArgumentException("the semantic weight for questions must be in (0, 100], was "
                        + questionSemanticWeight);
            }
            if (!(identifierSemanticWeight > 0 && identifierSemanticWeight <= 100)) {
                throw new IllegalArgumentException("the semantic weight for identifiers must be in (0, 100], was "
                        + identifierSemanticWeight);
            }
        }

        @Override
        public double score(Evidence e) {
            double w = switch (e.shape()) {
                case QUESTION -> questionSemanticWeight;
                case IDENTIFIER -> identifierSemanticWeight;
                case TERMS -> 1;
            };
            return (e.keywordRank() > 0 ? 1.0 / (k + e.keywordRank()) : 0)
                    + (e.semanticRank() > 0 ? w / (k + e.semanticRank()) : 0);
        }

        @Override
        public String label() {
            return "rrf";
        }
    }

    /**
     * The original prototype's blend: alpha · cosine + (1 − alpha) · BM25 / max BM25. Kept for comparison and for
     * the prototype's {@code POST /search} clients.
     */
    record Linear(double alpha) implements Fusion {
        public Linear {
            checkAlpha(alpha);
        }

        @Override
        public double score(Evidence e) {
            float maxKeyword = e.keywordRange().max();
            double keyword = e.keywordRank() > 0 && maxKeyword > 0 ? e.keywordScore() / maxKeyword : 0;
            double semantic = e.semanticRank() > 0 ? e.semanticScore() : 0;
            return blend(alpha, semantic, keyword);
        }

        @Override
        public String label() {
            return "linear";
        }
    }

    /**
     * Convex combination of min-max normalised scores (Bruch, Gai and Ingber, TOIS 2023): alpha · semantic +
     * (1 − alpha) · keyword, each scaled to 0..1 over its own list; a page absent from a list gets 0 from it.
     */
    record Convex(double alpha) implements Fusion {
        public Convex {
            checkAlpha(alpha);
        }

        @Override
        public double score(Evidence e) {
            double keyword = e.keywordRank() > 0 ? e.keywordRange().normalised(e.keywordScore()) : 0;
            double semantic = e.semanticRank() > 0 ? e.semanticRange().normalised(e.semanticScore()) : 0;
            return blend(alpha, semantic, keyword);
        }

        @Override
        public String label() {
            return "convex";
        }
    }

    private static void checkAlpha(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in 0..1, was " + alpha);
        }
    }

    /** alpha of the semantic evidence plus the rest of the keyword evidence. */
    private static double blend(double alpha, double semantic, double keyword) {
        return alpha * semantic + (1 - alpha) * keyword;
    }

    /**
     * RRF for questions and pasted identifiers (weighted as {@code rrf} weighs them), the convex blend for plain
     * terms. A query has one shape, so the two scales never meet in one ranking. On plain terms, where both
     * retrievers hold evidence, how far a page leads in each list says more than its rank; questions in a reader's
     * words share few words with their answer, so there BM25's scores mislead and its ranks are safer.
     */
    record Auto(Rrf rrf, Convex terms) implements Fusion {
        /**
         * Chosen on the AWS dev set as a whole (full release and sample) and checked on SciFact's train split
         * (docs/benchmarks.md, "Fusion: convex blend for plain terms").
         */
        public static final double TERMS_ALPHA = 0.5;

        public Auto {
            java.util.Objects.requireNonNull(rrf, "rrf");
            java.util.Objects.requireNonNull(terms, "terms");
        }

        @Override
        public double score(Evidence e) {
            return e.shape() == QueryShape.TERMS ? terms.score(e) : rrf.score(e);
        }

        @Override
        public String label() {
            return "auto";
        }
    }
}
