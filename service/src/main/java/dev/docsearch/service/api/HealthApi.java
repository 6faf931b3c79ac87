package dev.docsearch.service.api;

import dev.docsearch.core.release.Manifest;
import dev.docsearch.service.reload.ReleaseHolder;
import dev.docsearch.service.reload.ReloadStatus;
import dev.docsearch.service.reload.ServingRelease;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health}: 200 while a release is served (status ok, or degraded with the reason when a newer
 * release was refused), 503 before one is (starting or unavailable, with the reason).
 */
public final class HealthApi {

    private final ReleaseHolder holder;
    private final Supplier<ReloadStatus> status;

    public HealthApi(ReleaseHolder holder, Supplier<ReloadStatus> status) {
        this.holder = holder;
        this.status = status;
    }

    public void get(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ReloadStatus s = status.get();
        Optional<ReleaseHolder.Lease> lease = holder.acquire();
        if (lease.isEmpty()) {
            String state = s.state() == ReloadStatus.State.STARTING ? "starting" : "unavailable";
            String reason = s.reason() == null ? "no release is loaded yet" : s.reason();
            Json.send(ctx, 503, new HealthBody(state, reason, null, null, null, null, null, null, null));
            return;
        }
        try (ReleaseHolder.Lease l = lease.get()) {
            ServingRelease r = l.release();
            Manifest m = r.manifest();
            boolean degraded = s.state() == ReloadStatus.State.DEGRADED;
            ctx.attribute(SearchApi.RELEASE_ATTRIBUTE, r.id());
            Json.send(ctx, 200, new HealthBody(degraded ? "degraded" : "ok", degraded ? s.reason() : null, r.id(),
                    m.created(), m.pages(), m.chunks(), r.loadedAt().toString(),
                    new HealthBody.Model(m.model().name(), m.model().sha256(), m.model().dimension()),
                    degraded ? s.rejectedId() : null));
        }
    }
}
