package dev.docsearch.service.api;

import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.core.search.SearchResponse;
import dev.docsearch.service.metrics.ServiceMetrics;
import dev.docsearch.service.reload.ReleaseHolder;
import dev.docsearch.service.reload.ReloadStatus;
import dev.docsearch.service.reload.ServingRelease;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A search against whichever release is live when it starts: lease it, search it, let go. The answer names
 * that release, and a swap in the middle cannot mix two releases into one answer.
 */
public final class LiveSearch {

    private final ReleaseHolder holder;
    private final Supplier<ReloadStatus> status;
    private final ServiceMetrics metrics;

    public LiveSearch(ReleaseHolder holder, Supplier<ReloadStatus> status, ServiceMetrics metrics) {
        this.holder = holder;
        this.status = status;
        this.metrics = metrics;
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
            return new Answer(response, release.manifest().pages());
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
