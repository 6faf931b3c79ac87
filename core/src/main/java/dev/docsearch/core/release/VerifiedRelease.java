package dev.docsearch.core.release;

import java.nio.file.Path;

/**
 * Proof that a release of one {@link ReleaseStore} was verified: its manifest is well-formed and every listed file
 * has its recorded size and SHA-256. Only {@link ReleaseStore#verified(String)} creates one, so whoever holds it can
 * publish or copy the release without hashing it again. It speaks of the moment of verification: the caller keeps
 * the files unchanged after it (the pipeline holds the update lock), and a copy elsewhere is verified afresh.
 */
public final class VerifiedRelease {

    private final Path root;
    private final Manifest manifest;

    VerifiedRelease(Path root, Manifest manifest) {
        this.root = root;
        this.manifest = manifest;
    }

    /** The release id. */
    public String id() {
        return manifest.id();
    }

    /** The verified manifest. */
    public Manifest manifest() {
        return manifest;
    }

    /** Whether this release was verified in {@code store} (and not in another artifact root). */
    boolean belongsTo(ReleaseStore store) {
        return root.equals(store.root());
    }

    @Override
    public String toString() {
        return "verified release " + id() + " of " + root;
    }
}
