package dev.docsearch.pipeline.source;

/**
 * A source could not say which pages it holds (a sitemap failed over HTTP or did not parse, a
 * folder is missing). The listing cannot be trusted, so a crawl must stop before changing anything.
 */
public final class SourceException extends Exception {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
