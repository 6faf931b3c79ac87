package dev.docsearch.faiss;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two ranked hit lists that were scored by different float code: OpenBLAS picks its sgemm kernel by CPU at
 * run time (and may pick another for a 1-row than for a 64-row product), FAISS's scanners sum in their own order,
 * Python's FAISS has its own BLAS, and the brute force in {@link TestVectors} sums in double. Each such computation
 * of one score may differ from another by float rounding, so two hits whose scores are that close can come out in
 * either order, and a hit tied with the last place can be in one top-k and not the other. Everything else must be
 * equal.
 *
 * <p>Two computations of one score may differ by {@link #tolerance}: {@value #RELATIVE_TOLERANCE} of the score scale.
 * A float d-term dot product has a rounding error of about {@code sqrt(d) * 6e-8} of its scale, under 1e-6 for the
 * {@code d <= 48} used here, so the tolerance leaves a margin of ten; distinct neighbours in these tests are typically
 * 1e-3 of the scale or more apart, so a real ordering error, a wrong score or a missing hit still fails. With that,
 * the rankings agree when
 * <ul>
 *   <li>they hold the same number of hits, and no id twice;
 *   <li>the score at every rank is equal within the tolerance (sorting is stable under small perturbations: if each
 *       score moves by at most e, the i-th best score moves by at most e);
 *   <li>an id in both has the same score in both within the tolerance (together with the previous rule: an id moves
 *       only between ranks whose scores are near-tied);
 *   <li>an id in only one of them scores within twice the tolerance of that list's last hit: it was tied for the last
 *       place with the id the other list holds instead.
 * </ul>
 */
final class NearTies {
    /** Allowed difference of two computations of one score, relative to the scale of the expected scores. */
    static final double RELATIVE_TOLERANCE = 1e-5;

    private NearTies() {
    }

    /**
     * Ids best first and their scores; double, so exact brute-force or Python-printed scores fit unrounded. Ids after
     * the real hits are -1 (empty slots, as FAISS returns them).
     */
    record Ranking(long[] ids, double[] scores) {
        Ranking {
            if (ids.length != scores.length) {
                throw new IllegalArgumentException(ids.length + " ids but " + scores.length + " scores");
            }
        }

        static Ranking of(SearchResult result) {
            double[] scores = new double[result.scores().length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = result.scores()[i];
            }
            return new Ranking(result.ids().clone(), scores);
        }

        /** Number of real hits: the position of the first negative id. */
        int count() {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0) {
                    return i;
                }
            }
            return ids.length;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < ids.length; i++) {
                text.append(i == 0 ? "" : ", ").append(ids[i]).append(':').append(scores[i]);
            }
            return text.append(']').toString();
        }
    }

    /**
     * How far two computations of one score may differ: {@link #RELATIVE_TOLERANCE} of the largest expected score
     * magnitude (at least 1). Scaled by the expected list only, so wild scores in the list under test cannot widen it.
     */
    static double tolerance(Ranking expected) {
        double scale = 1;
        for (int i = 0; i < expected.count(); i++) {
            scale = Math.max(scale, Math.abs(expected.scores()[i]));
        }
        return RELATIVE_TOLERANCE * scale;
    }

    static void assertSameRanking(String what, SearchResult expected, SearchResult actual) {
        assertSameRanking(what, Ranking.of(expected), Ranking.of(actual));
    }

    static void assertSameRanking(String what, Ranking expected, SearchResult actual) {
        assertSameRanking(what, expected, Ranking.of(actual));
    }

    /** Fails unless the rankings agree up to near-tied scores (see the class comment). */
    static void assertSameRanking(String what, Ranking expected, Ranking actual) {
        List<String> problems = differences(expected, actual);
        if (!problems.isEmpty()) {
            throw new AssertionError(what + ": rankings differ beyond near-tied scores (tolerance "
                    + tolerance(expected) + "):\n  " + String.join("\n  ", problems)
                    + "\n  expected " + expected + "\n  actual   " + actual);
        }
    }

    /** Why the rankings do not agree up to near-tied scores; empty when they do. */
    static List<String> differences(Ranking expected, Ranking actual) {
        List<String> problems = new ArrayList<>();
        if (expected.ids().length != actual.ids().length) {
            problems.add("expected " + expected.ids().length + " slots, got " + actual.ids().length);
            return problems;
        }
        int n = expected.count();
        if (actual.count() != n) {
            problems.add("expected " + n + " hits, got " + actual.count());
            return problems;
        }
        Map<Long, Integer> expectedRank = ranks("expected", expected, problems);
        Map<Long, Integer> actualRank = ranks("actual", actual, problems);
        if (!problems.isEmpty() || n == 0) {
            return problems;
        }
        double tolerance = tolerance(expected);
        double[] e = expected.scores();
        double[] a = actual.scores();
        for (int i = 0; i < n; i++) {
            if (Math.abs(a[i] - e[i]) > tolerance) {
                problems.add(format("rank %d scores %s, expected %s", i, a[i], e[i]));
            }
        }
        for (int i = 0; i < n; i++) {
            long id = actual.ids()[i];
            Integer j = expectedRank.get(id);
            if (j != null) {
                if (Math.abs(a[i] - e[j]) > tolerance) {
                    problems.add(format("id %d scores %s at rank %d, expected %s at rank %d", id, a[i], i, e[j], j));
                }
            } else if (Math.abs(a[i] - a[n - 1]) > 2 * tolerance) {
                problems.add(format("id %d at rank %d (score %s) is not expected and not tied with the last hit (%s)",
                        id, i, a[i], a[n - 1]));
            }
        }
        for (int j = 0; j < n; j++) {
            long id = expected.ids()[j];
            if (!actualRank.containsKey(id) && Math.abs(e[j] - e[n - 1]) > 2 * tolerance) {
                problems.add(format("expected id %d (rank %d, score %s) is missing and was not tied with the last"
                        + " hit (%s)", id, j, e[j], e[n - 1]));
            }
        }
        return problems;
    }

    /**
     * Number of the expected hits that {@code actual} holds too. Adds a problem, labelled {@code what}, for each such
     * id whose two scores differ by more than the tolerance.
     */
    static int sharedIds(String what, Ranking expected, Ranking actual, List<String> problems) {
        Map<Long, Integer> expectedRank = new HashMap<>();
        for (int j = 0; j < expected.count(); j++) {
            expectedRank.putIfAbsent(expected.ids()[j], j);
        }
        double tolerance = tolerance(expected);
        int shared = 0;
        for (int i = 0; i < actual.count(); i++) {
            long id = actual.ids()[i];
            Integer j = expectedRank.remove(id);
            if (j == null) {
                continue;
            }
            shared++;
            double a = actual.scores()[i];
            double e = expected.scores()[j];
            if (Math.abs(a - e) > tolerance) {
                problems.add(format("%s: id %d scores %s, expected %s", what, id, a, e));
            }
        }
        return shared;
    }

    private static Map<Long, Integer> ranks(String which, Ranking ranking, List<String> problems) {
        Map<Long, Integer> ranks = new HashMap<>();
        long[] ids = ranking.ids();
        int n = ranking.count();
        for (int i = 0; i < ids.length; i++) {
            if (i >= n) {
                if (ids[i] >= 0) {
                    problems.add(which + " has id " + ids[i] + " at rank " + i + ", after an empty slot");
                }
                continue;
            }
            Integer previous = ranks.putIfAbsent(ids[i], i);
            if (previous != null) {
                problems.add(which + " holds id " + ids[i] + " twice (ranks " + previous + " and " + i + ")");
            }
        }
        return ranks;
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
