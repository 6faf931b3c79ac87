package dev.docsearch.service.api;

import dev.docsearch.core.release.Manifest;
import dev.docsearch.service.reload.ReleaseHolder;
import dev.docsearch.service.reload.ReloadStatus;
import dev.docsearch.service.reload.ServingRelease;
import io.javalin.http.Context;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health}: 200 while a release is served (status ok, or degraded with the reason when a newer
 * release was refused), 503 before one is (starting or unavailable, with the reason).
 */
public final class HealthApi {

    /** Longest reason shown; the log has the whole of it. */
    static final int MAX_REASON = 500;

    private final ReleaseHolder holder;
    private final Supplier<ReloadStatus> status;
    private final String root;

    /** @param root the artifact root: its path is left out of the reasons anyone can read */
    public HealthApi(ReleaseHolder holder, Supplier<ReloadStatus> status, Path root) {
        this.holder = holder;
        this.status = status;
        this.root = root.toAbsolutePath().normalize() + "/";
    }

    public void get(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ReloadStatus s = status.get();
        Optional<ReleaseHolder.Lease> lease = holder.acquire();
        if (lease.isEmpty()) {
            String state = s.state() == ReloadStatus.State.STARTING ? "starting" : "unavailable";
            String reason = s.reason() == null ? "no release is loaded yet" : shortReason(s.reason());
            Json.send(ctx, 503, new HealthBody(state, reason, null, null, null, null, null, null, null));
            return;
        }
        try (ReleaseHolder.Lease l = lease.get()) {
            ServingRelease r = l.release();
            Manifest m = r.manifest();
            boolean degraded = s.state() == ReloadStatus.State.DEGRADED;
            ctx.attribute(SearchApi.RELEASE_ATTRIBUTE, r.id());
            Json.send(ctx, 200, new HealthBody(degraded ? "degraded" : "ok", degraded ? shortReason(s.reason()) : null, r.id(),
                    m.created(), m.pages(), m.chunks(), r.loadedAt().toString(),
                    new HealthBody.Model(m.model().name(), m.model().sha256(), m.model().dimension()),
                    degraded ? s.rejectedId() : null));
        }
    }

    /**
     * A reason as anyone may read it: paths relative to the artifact root, no parser internals (Jackson's
     * "at [Source: ...]" trail), at most {@link #MAX_REASON} characters. The watcher logs the full reason.
     */
    String shortReason(String reason) {
        String r = reason.replace(root, "");
        int internals = r.indexOf(" at [Source");
        if (internals >= 0) {
            r = r.substring(0, internals);
        }
        return r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "..." : r;
    }
}
