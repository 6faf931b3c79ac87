package dev.docsearch.pipeline.sink;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.VerifiedRelease;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Where published releases go: the artifact root itself (on AWS, the S3 Files mount), another directory, or
 * an S3 bucket. A sink receives a release that was verified in the local artifact root and makes it live
 * there: the model first (if missing), then the release's files, its manifest, and {@code CURRENT} last, so
 * that a reader never sees a {@code CURRENT} naming something incomplete.
 */
public interface ReleaseSink extends AutoCloseable {

    /** For messages and summaries: the directory or {@code s3://bucket/prefix}. */
    String describe();

    /** Whether this sink is the local artifact root itself (publishing is then only the {@code CURRENT} flip). */
    boolean isArtifactRoot();

    /**
     * Makes a verified local release live at the sink. The local files are not hashed again; a copy the sink
     * makes of them is verified where it lands, before {@code CURRENT} there names it.
     *
     * @param local   the local artifact root's releases, holding the release
     * @param release the release, verified in {@code local}
     * @param model   the release's embedding model in the local artifact root, verified
     */
    void publish(ReleaseStore local, VerifiedRelease release, ModelInfo model)
            throws IOException, ReleaseRejectedException;

    /**
     * Deletes every release at the sink that is not in {@code kept}, never the sink's live one. The publisher
     * passes what the artifact root's own prune kept (by integrity: the live release, the newest verified one
     * before it, and the newest others), so the sink holds the same releases as the root.
     *
     * @return the ids deleted
     */
    List<String> retainOnly(Set<String> kept) throws IOException;

    @Override
    void close();
}
