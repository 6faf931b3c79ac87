package dev.docsearch.faiss;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/** Seeded test vectors and the brute-force truth FAISS results are checked against. */
final class TestVectors {
    private TestVectors() {
    }

    /** n Gaussian vectors of dimension d, row-major. */
    static float[] gaussian(int n, int d, long seed) {
        Random random = new Random(seed);
        float[] vectors = new float[n * d];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) random.nextGaussian();
        }
        return vectors;
    }

    /**
     * n vectors around {@code clusters} random (unit Gaussian) centres, L2-normalised: shaped like embeddings (which
     * cluster by topic) so IVF and HNSW recall means something, unlike uniform noise.
     */
    static float[] clustered(int n, int d, int clusters, long seed) {
        return clustered(n, d, clusters, 0.35f, seed);
    }

    /** As {@link #clustered(int, int, int, long)} with noise of the given spread per component. */
    static float[] clustered(int n, int d, int clusters, float spread, long seed) {
        Random random = new Random(seed);
        float[] centres = gaussian(clusters, d, seed + 1);
        float[] vectors = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(clusters);
            for (int j = 0; j < d; j++) {
                vectors[i * d + j] = centres[c * d + j] + spread * (float) random.nextGaussian();
            }
        }
        normalise(vectors, d);
        return vectors;
    }

    static void normalise(float[] vectors, int d) {
        for (int i = 0; i < vectors.length / d; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += vectors[i * d + j] * vectors[i * d + j];
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                vectors[i * d + j] *= scale;
            }
        }
    }

    static float[] row(float[] vectors, int d, int i) {
        return Arrays.copyOfRange(vectors, i * d, (i + 1) * d);
    }

    /** Score of query q against database vector i, in double precision. */
    static double score(float[] database, int d, int i, float[] query, Metric metric) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double x = database[i * d + j];
            sum += metric == Metric.INNER_PRODUCT ? x * query[j] : (x - query[j]) * (x - query[j]);
        }
        return sum;
    }

    /** Ids of the exact top-k, best first. */
    static long[] bruteForce(float[] database, int d, float[] query, int k, Metric metric) {
        int n = database.length / d;
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = score(database, d, i, query, metric);
        }
        Comparator<Integer> best = Comparator.comparingDouble(i -> scores[i]);
        if (metric == Metric.INNER_PRODUCT) {
            best = best.reversed();
        }
        return IntStream.range(0, n).boxed().sorted(best).limit(k).mapToLong(Integer::longValue).toArray();
    }

    /** The exact top-k with their double-precision scores, best first. */
    static NearTies.Ranking exactRanking(float[] database, int d, float[] query, int k, Metric metric) {
        long[] ids = bruteForce(database, d, query, k, metric);
        double[] scores = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            scores[i] = score(database, d, (int) ids[i], query, metric);
        }
        return new NearTies.Ranking(ids, scores);
    }

    /** Fraction of the true top-k ids that {@code found} contains. */
    static double recall(long[] truth, long[] found) {
        long hits = Arrays.stream(truth).filter(t -> Arrays.stream(found).anyMatch(f -> f == t)).count();
        return (double) hits / truth.length;
    }
}
