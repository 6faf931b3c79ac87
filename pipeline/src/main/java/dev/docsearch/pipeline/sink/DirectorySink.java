package dev.docsearch.pipeline.sink;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.VerifiedRelease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory laid out like an artifact root (on AWS, the S3 Files mount). When it is the artifact root
 * itself, publishing is the atomic {@code CURRENT} flip of {@link ReleaseStore#publish(VerifiedRelease)}, with no
 * second verification; otherwise the model and the release are first copied in under temporary names and renamed
 * into place, then the copy is verified and {@code CURRENT} flipped there.
 */
public final class DirectorySink implements ReleaseSink {

    private static final Logger log = LoggerFactory.getLogger(DirectorySink.class);

    private final Path target;
    private final boolean artifactRoot;

    /**
     * @param target       the directory to publish into
     * @param artifactRoot the local artifact root (the target may be it)
     */
    public DirectorySink(Path target, Path artifactRoot) {
        this.target = target.toAbsolutePath().normalize();
        this.artifactRoot = this.target.equals(artifactRoot.toAbsolutePath().normalize());
    }

    @Override
    public String describe() {
        return target.toString();
    }

    @Override
    public boolean isArtifactRoot() {
        return artifactRoot;
    }

    @Override
    public void publish(ReleaseStore local, VerifiedRelease release, ModelInfo model)
            throws IOException, ReleaseRejectedException {
        if (artifactRoot) {
            PausePoint.reach(PausePoint.BEFORE_CURRENT);
            local.publish(release);
            return;
        }
        copyModel(model);
        copyRelease(local, release.id());
        PausePoint.reach(PausePoint.BEFORE_CURRENT);
        new ReleaseStore(target).publish(release.id()); // verifies the copy
    }

    @Override
    public List<String> retainOnly(Set<String> kept) throws IOException {
        if (artifactRoot) {
            return List.of(); // the root's own releases are pruned by the publisher, not twice
        }
        ReleaseStore copy = new ReleaseStore(target);
        String live = copy.current().orElse(null);
        List<String> deleted = new ArrayList<>();
        for (String id : copy.ids()) {
            if (!kept.contains(id) && !id.equals(live)) {
                copy.delete(id);
                deleted.add(id);
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        // Nothing held.
    }

    private void copyModel(ModelInfo model) throws IOException {
        Path dest = new ModelStore(target).directoryOf(model.name(), model.sha256());
        if (Files.isDirectory(dest)) {
            new ModelStore(target).locate(model.name(), model.sha256()); // verifies; refuses a broken copy
            return;
        }
        Files.createDirectories(dest.getParent());
        Path tmp = dest.resolveSibling(".tmp-" + UUID.randomUUID());
        try {
            copyTree(model.directory(), tmp);
            AtomicFiles.rename(tmp, dest);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        new ModelStore(target).locate(model.name(), model.sha256());
        log.info("model copied to sink dir={}", dest);
    }

    private void copyRelease(ReleaseStore local, String id) throws IOException {
        ReleaseStore remote = new ReleaseStore(target);
        Path dest = remote.releaseDir(id);
        if (Files.isDirectory(dest)) {
            return; // copied by an earlier attempt; publish() verifies it
        }
        Files.createDirectories(remote.releasesDir());
        // A ".staging-" name: readers ignore it and removeAbandonedStaging() cleans it up after a crash.
        Path tmp = remote.releasesDir().resolve(".staging-copy-" + id + "-" + UUID.randomUUID());
        long start = System.nanoTime();
        try {
            copyTree(local.releaseDir(id), tmp);
            AtomicFiles.rename(tmp, dest);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        log.info("release copied to sink id={} dir={} ms={}", id, dest, (System.nanoTime() - start) / 1_000_000);
    }

    /** Copies a tree, fsyncing each file, so that what is renamed into place is durable. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path src : walk.sorted().toList()) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
                    AtomicFiles.fsync(dst);
                }
            }
        }
    }
}
