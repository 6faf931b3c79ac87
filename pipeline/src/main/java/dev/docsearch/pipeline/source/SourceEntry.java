package dev.docsearch.pipeline.source;

import java.time.Instant;
import java.util.Objects;

/**
 * One page a source lists, before it is fetched.
 *
 * @param id       the page id it will have, e.g. {@code amazon-s3-userguide/Versioning}
 * @param guide    the guide it belongs to
 * @param location where to fetch it: an absolute URL, or a file path for local sources
 * @param lastmod  when the source says it last changed (sitemap {@code lastmod}, file mtime), or
 *                 null when the source does not say
 */
public record SourceEntry(String id, String guide, String location, Instant lastmod) {

    public SourceEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(guide, "guide");
        Objects.requireNonNull(location, "location");
    }
}
