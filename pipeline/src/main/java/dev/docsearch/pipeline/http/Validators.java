package dev.docsearch.pipeline.http;

/**
 * The HTTP cache validators a server gave for a page, sent back on the next fetch as
 * {@code If-None-Match} / {@code If-Modified-Since}; either may be null.
 *
 * @param etag         the {@code ETag} response header, verbatim (quotes and weak prefix kept)
 * @param lastModified the {@code Last-Modified} response header, verbatim
 */
public record Validators(String etag, String lastModified) {

    /** No validators: the fetch is unconditional. */
    public static final Validators NONE = new Validators(null, null);

    /** Whether there is anything to send back. */
    public boolean isEmpty() {
        return etag == null && lastModified == null;
    }
}
