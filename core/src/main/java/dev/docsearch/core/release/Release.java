package dev.docsearch.core.release;

import dev.docsearch.core.keyword.KeywordIndex;
import dev.docsearch.core.vector.VectorIndex;
import dev.docsearch.core.vector.VectorIndexOptions;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An opened, verified release: its chunk store, keyword index and vector index, ready to search.
 *
 * <p>Immutable and thread-safe for reads. Holds file handles and native memory until {@link #close()};
 * whoever swaps releases while serving must close the old one only after the last request using it is done.
 */
public final class Release implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Release.class);

    private final Manifest manifest;
    private final Path directory;
    private final ChunkStore chunks;
    private final KeywordIndex keyword;
    private final VectorIndex vectors;

    private Release(Manifest manifest, Path directory, ChunkStore chunks, KeywordIndex keyword, VectorIndex vectors) {
        this.manifest = manifest;
        this.directory = directory;
        this.chunks = chunks;
        this.keyword = keyword;
        this.vectors = vectors;
    }

    /**
     * Verifies a release (sizes and checksums) and opens it; refuses a release whose parts disagree
     * (chunk, vector and document counts must all equal the manifest's).
     */
    public static Release open(ReleaseStore store, String id, VectorIndexOptions options) throws ReleaseRejectedException {
        long start = System.nanoTime();
        Manifest m = store.verify(id);
        Path dir = store.releaseDir(id);
        ChunkStore chunks = null;
        KeywordIndex keyword = null;
        VectorIndex vectors = null;
        try {
            chunks = ChunkStore.open(dir);
            keyword = KeywordIndex.open(dir.resolve(ReleaseWriter.KEYWORD_DIR));
            vectors = VectorIndex.open(dir.resolve(VectorIndex.FILE), m.vectorIndex(), options);
            check(id, "chunk store", chunks.size(), m.chunks());
            check(id, "keyword index", keyword.size(), m.chunks());
            check(id, "vector index", vectors.size(), m.chunks());
            if (vectors.dimension() != m.model().dimension()) {
                throw new ReleaseRejectedException(id, "vector index has dimension " + vectors.dimension()
                        + ", manifest model says " + m.model().dimension());
            }
            log.info("release opened id={} pages={} chunks={} ms={}", id, m.pages(), m.chunks(),
                    (System.nanoTime() - start) / 1_000_000);
            return new Release(m, dir, chunks, keyword, vectors);
        } catch (ReleaseRejectedException e) {
            IOUtils.closeWhileHandlingException(chunks, keyword, vectors);
            throw e;
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(chunks, keyword, vectors);
            throw new ReleaseRejectedException(id, "cannot be opened: " + e.getMessage(), e);
        }
    }

    private static void check(String id, String what, long actual, long expected) throws ReleaseRejectedException {
        if (actual != expected) {
            throw new ReleaseRejectedException(id, what + " holds " + actual + " entries, manifest says " + expected);
        }
    }

    public String id() {
        return manifest.id();
    }

    public Manifest manifest() {
        return manifest;
    }

    public Path directory() {
        return directory;
    }

    public ChunkStore chunks() {
        return chunks;
    }

    public KeywordIndex keyword() {
        return keyword;
    }

    public VectorIndex vectors() {
        return vectors;
    }

    @Override
    public void close() {
        IOUtils.closeWhileHandlingException(vectors, keyword, chunks);
        log.info("release closed id={}", id());
    }
}
