package dev.docsearch.pipeline.publish;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.VerifiedRelease;
import dev.docsearch.pipeline.build.BuildRecord;
import dev.docsearch.pipeline.build.BuildRecords;
import dev.docsearch.pipeline.events.ReleaseAnnouncer;
import dev.docsearch.pipeline.events.ReleasePublished;
import dev.docsearch.pipeline.sink.ReleaseSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * Makes a committed release live: verify it in the local artifact root, publish it through the sink (files,
 * manifest, then {@code CURRENT}), flip the local {@code CURRENT} too when the sink is elsewhere (so the
 * artifact root always knows what is live), and announce it. Also prunes old releases. The caller holds the
 * update lock.
 */
public final class Publisher {

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);

    private final ReleaseStore store;
    private final BuildRecords records;
    private final ReleaseSink sink;
    private final ReleaseAnnouncer announcer;

    public Publisher(ReleaseStore store, ReleaseSink sink, ReleaseAnnouncer announcer) {
        this.store = store;
        this.records = new BuildRecords(store.root());
        this.sink = sink;
        this.announcer = announcer;
    }

    /**
     * What a publish did.
     *
     * @param manifest  the release now live
     * @param previous  the release live before, or null
     * @param announced whether the announcement was accepted (always true without an event bus)
     */
    public record Result(Manifest manifest, String previous, boolean announced) {
    }

    /**
     * Verifies and publishes release {@code id}.
     *
     * @param startNanos when the run that publishes started ({@link System#nanoTime()}), for the event's duration
     * @param rollback   whether an older release is being made live again
     * @throws ReleaseRejectedException when the release is incomplete or damaged; nothing changes then
     */
    public Result publish(String id, long startNanos, boolean rollback) throws ReleaseRejectedException, IOException {
        return publish(id, null, startNanos, rollback);
    }

    /**
     * As {@link #publish(String, long, boolean)}, given the model this run already verified (the one the release
     * was just built with), so its 86 MB are not hashed again; a model other than the manifest's, or null, is
     * located and verified here.
     */
    public Result publish(String id, ModelInfo verifiedModel, long startNanos, boolean rollback)
            throws ReleaseRejectedException, IOException {
        String previous = store.current().orElse(null);
        // Verified once here; the sink and the local flip take the proof rather than hashing the files again.
        VerifiedRelease release = store.verified(id);
        Manifest manifest = release.manifest();
        ModelInfo model = verifiedModel != null && verifiedModel.name().equals(manifest.model().name())
                && verifiedModel.sha256().equals(manifest.model().sha256())
                ? verifiedModel
                : new ModelStore(store.root()).locate(manifest.model().name(), manifest.model().sha256());
        sink.publish(store, release, model);
        if (!sink.isArtifactRoot()) {
            store.publish(release);
        }
        Optional<BuildRecord> record = records.read(id);
        ReleasePublished event = new ReleasePublished(id, previous, sink.describe(), manifest.pages(), manifest.chunks(),
                record.map(r -> r.changes().added()).orElse(-1), record.map(r -> r.changes().changed()).orElse(-1),
                record.map(r -> r.changes().removed()).orElse(-1), record.map(BuildRecord::chunksEmbedded).orElse(-1),
                record.map(BuildRecord::chunksReused).orElse(-1), (System.nanoTime() - startNanos) / 1e9, rollback);
        log.info("release live id={} previous={} sink={} pages={} chunks={} rollback={}", id, previous,
                sink.describe(), manifest.pages(), manifest.chunks(), rollback);
        boolean announced = announcer.announce(event);
        return new Result(manifest, previous, announced);
    }

    /**
     * Prunes the artifact root ({@link ReleaseStore#prune}: the live release, the newest verified one before it,
     * and the newest verified others up to {@code keep}), then leaves the sink the same releases; deletes the
     * build records of releases that are gone.
     *
     * @return the ids deleted (locally or at the sink)
     */
    public List<String> prune(int keep) throws IOException {
        List<String> deleted = new ArrayList<>(store.prune(keep));
        for (String id : sink.retainOnly(Set.copyOf(store.ids()))) {
            if (!deleted.contains(id)) {
                deleted.add(id);
            }
        }
        records.retainOnly(store.ids());
        if (!deleted.isEmpty()) {
            log.info("releases pruned keep={} deleted={}", keep, deleted);
        }
        return deleted;
    }
}
