package dev.docsearch.service.api;

import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.search.SearchResponse;
import dev.docsearch.core.suggest.HeadingSuggester;
import dev.docsearch.service.metrics.ServiceMetrics;
import dev.docsearch.service.reload.ReleaseHolder;
import dev.docsearch.service.reload.ReloadStatus;
import dev.docsearch.service.reload.ServingRelease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A search against whichever release is live when it starts: lease it, search it, let go. The answer names
 * that release, and a swap in the middle cannot mix two releases into one answer.
 *
 * <p>A search that finds nothing is counted ({@code docsearch_search_zero_results_total}) and logged, one line
 * with the query cut to the configured length: what readers could not find is what the docs (or the index) lack.
 * Nothing else about users is kept.
 */
public final class LiveSearch {

    /** A logger of its own, so operators can route what users could not find (or silence it). */
    private static final Logger zeroResults = LoggerFactory.getLogger("dev.docsearch.service.zero_results");

    private final ReleaseHolder holder;
    private final Supplier<ReloadStatus> status;
    private final ServiceMetrics metrics;
    private final int logQueryChars;

    /** @param logQueryChars how much of a zero-result query the log keeps (0: none of it) */
    public LiveSearch(ReleaseHolder holder, Supplier<ReloadStatus> status, ServiceMetrics metrics, int logQueryChars) {
        this.holder = holder;
        this.status = status;
        this.metrics = metrics;
        this.logQueryChars = logQueryChars;
    }

    /**
     * The answer and the release's facts needed to show it.
     *
     * @param response the searcher's answer
     * @param pages    pages in the release that answered
     */
    public record Answer(SearchResponse response, int pages) {
    }

    /** @throws ApiException 503 with the reason when no release is live */
    public Answer search(SearchRequest request) {
        Optional<ReleaseHolder.Lease> lease = holder.acquire();
        if (lease.isEmpty()) {
            throw unavailable();
        }
        try (ReleaseHolder.Lease l = lease.get()) {
            ServingRelease release = l.release();
            SearchResponse response = release.searcher().search(request);
            metrics.search(request.mode(), response);
            if (response.total() == 0) {
                zeroResults.info("zero results mode={} guide={} release={}{}", request.mode().label(),
                        request.guide() == null ? "-" : SearchParameters.forLog(request.guide(), 100), response.releaseId(),
                        logQueryChars == 0 ? "" : " q=\"" + SearchParameters.forLog(request.query(), logQueryChars) + "\"");
            }
            return new Answer(response, release.manifest().pages());
        }
    }

    /**
     * Completions from the live release.
     *
     * @param releaseId   the release that answered
     * @param suggestions best first
     */
    public record Completions(String releaseId, List<HeadingSuggester.Suggestion> suggestions) {
    }

    /** @throws ApiException 503 with the reason when no release is live */
    public Completions suggest(String prefix, int n) {
        Optional<ReleaseHolder.Lease> lease = holder.acquire();
        if (lease.isEmpty()) {
            throw unavailable();
        }
        try (ReleaseHolder.Lease l = lease.get()) {
            ServingRelease release = l.release();
            return new Completions(release.id(), release.suggester().suggest(prefix, n));
        }
    }

    /** The 503 for "nothing to search yet", with the watcher's reason. */
    public ApiException unavailable() {
        ReloadStatus s = status.get();
        String why = s.reason() == null ? "no release is loaded yet" : s.reason();
        return new ApiException(503, "search is not available yet: " + why, null);
    }

    /** The live release id, if any (for pages that show it without searching). */
    public Optional<String> liveId() {
        return holder.liveId();
    }
}
