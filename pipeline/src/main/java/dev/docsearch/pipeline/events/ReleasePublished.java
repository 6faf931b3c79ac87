package dev.docsearch.pipeline.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Objects;

/**
 * The detail of the {@code ReleasePublished} event: what went live and what changed.
 *
 * @param release         the release id now named by {@code CURRENT}
 * @param previous        the release it replaced, or null
 * @param sink            where it was published (a directory or {@code s3://bucket/prefix})
 * @param pages           pages in the release
 * @param chunks          chunks in the release
 * @param pagesAdded      pages new against the release it was built on (-1 when unknown)
 * @param pagesChanged    pages whose content changed (-1 when unknown)
 * @param pagesRemoved    pages gone (-1 when unknown)
 * @param chunksEmbedded  chunks embedded by its build (-1 when unknown)
 * @param chunksReused    chunks whose vectors came from the cache (-1 when unknown)
 * @param durationSeconds wall time of the run that published it
 * @param rollback        whether this is a rollback to an older release
 */
public record ReleasePublished(String release, String previous, String sink, int pages, int chunks, int pagesAdded,
                               int pagesChanged, int pagesRemoved, int chunksEmbedded, int chunksReused,
                               double durationSeconds, boolean rollback) {

    /** The EventBridge {@code Source} of the event. */
    public static final String SOURCE = "dev.docsearch.pipeline";
    /** The EventBridge {@code DetailType} of the event. */
    public static final String DETAIL_TYPE = "ReleasePublished";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ReleasePublished {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(sink, "sink");
    }

    /** The event detail as JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings and numbers always serialises", e);
        }
    }
}
