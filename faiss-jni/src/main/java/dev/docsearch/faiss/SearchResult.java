package dev.docsearch.faiss;

import java.util.Arrays;

/**
 * One query's top-k hits, best first, exactly as FAISS returns them.
 *
 * <p>{@code scores[i]} is the inner product ({@link Metric#INNER_PRODUCT}, larger is closer) or the
 * squared L2 distance ({@link Metric#L2}, smaller is closer) of hit {@code ids[i]}. Where the index
 * holds fewer than k reachable vectors the tail has {@code ids[i] == -1} (and a sentinel score
 * FAISS chose, such as {@code ±Float.MAX_VALUE}); {@link #count()} tells how many hits are real.
 *
 * <p>The arrays are not copied (results can be large); treat them as read-only. {@code equals},
 * {@code hashCode} and {@code toString} compare and print array contents.
 *
 * @param scores score of each hit, best first
 * @param ids    sequential id (0-based insertion order) of each hit, -1 for an empty slot
 */
public record SearchResult(float[] scores, long[] ids) {

    public SearchResult {
        if (scores == null || ids == null) {
            throw new IllegalArgumentException("scores and ids must not be null");
        }
        if (scores.length != ids.length) {
            throw new IllegalArgumentException(
                    "scores and ids differ in length: " + scores.length + " != " + ids.length);
        }
    }

    /** Number of real hits: the position of the first -1 id, or k when there is none. */
    public int count() {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                return i;
            }
        }
        return ids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SearchResult that
                && Arrays.equals(scores, that.scores)
                && Arrays.equals(ids, that.ids);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scores) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "SearchResult[scores=" + Arrays.toString(scores) + ", ids=" + Arrays.toString(ids) + "]";
    }
}
