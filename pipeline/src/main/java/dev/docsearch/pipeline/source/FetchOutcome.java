package dev.docsearch.pipeline.source;

import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.http.Validators;

import java.util.Objects;

/** What fetching one listed page gave. */
public sealed interface FetchOutcome {

    /**
     * The page was read and extracted.
     *
     * @param page       the extracted page
     * @param validators the server's validators for the next conditional fetch ({@link Validators#NONE} locally)
     * @param bytes      the size of what was read
     */
    record Fetched(Page page, Validators validators, long bytes) implements FetchOutcome {
        public Fetched {
            Objects.requireNonNull(page, "page");
            Objects.requireNonNull(validators, "validators");
        }
    }

    /**
     * The server answered 304: the copy we hold is current.
     *
     * @param validators validators sent with the 304 (may refresh the stored ones)
     */
    record NotModified(Validators validators) implements FetchOutcome {
        public NotModified {
            Objects.requireNonNull(validators, "validators");
        }
    }

    /**
     * The page is not there, or not ours to take: 404/410, robots.txt forbids it, it redirects to
     * another site, it is not HTML or markdown. A held copy of it is removed.
     */
    record Gone(String reason) implements FetchOutcome {
        public Gone {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The page could not be fetched this time (5xx or timeouts past the retries, too large, 401/403):
     * a held copy is kept as it is.
     */
    record Failed(String reason) implements FetchOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
