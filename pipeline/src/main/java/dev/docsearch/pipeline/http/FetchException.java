package dev.docsearch.pipeline.http;

import java.io.IOException;
import java.net.URI;

/** A GET that gave no usable answer; {@link #reason()} says why, the message says it precisely. */
public final class FetchException extends IOException {

    /** Why a fetch failed. */
    public enum Reason {
        /** robots.txt disallows the URL for our user agent. */
        ROBOTS_DISALLOWED,
        /** robots.txt could not be read (5xx or network failure), so nothing on the host is fetched. */
        ROBOTS_UNAVAILABLE,
        /** A redirect pointed to another site. */
        OFF_SITE_REDIRECT,
        /** More redirects than allowed, or a redirect without a usable Location. */
        BAD_REDIRECT,
        /** The body was larger than allowed. */
        TOO_LARGE,
        /** 429 or 5xx until the retries ran out, or a Retry-After longer than allowed. */
        HTTP_STATUS,
        /** Connection failures or timeouts until the retries ran out. */
        NETWORK
    }

    private final URI uri;
    private final Reason reason;

    public FetchException(URI uri, Reason reason, String message) {
        super(uri + ": " + message);
        this.uri = uri;
        this.reason = reason;
    }

    public FetchException(URI uri, Reason reason, String message, Throwable cause) {
        super(uri + ": " + message, cause);
        this.uri = uri;
        this.reason = reason;
    }

    public URI uri() {
        return uri;
    }

    public Reason reason() {
        return reason;
    }
}
