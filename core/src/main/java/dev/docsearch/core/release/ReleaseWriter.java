package dev.docsearch.core.release;

import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.io.Sha256;
import dev.docsearch.core.keyword.KeywordIndexWriter;
import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.vector.VectorIndex;
import dev.docsearch.core.vector.VectorIndexOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes one release: chunks with their vectors go in, a complete, verified release directory comes out.
 *
 * <p>Everything is written into a hidden staging directory; {@link #commit()} builds the vector index,
 * closes the Lucene index and chunk store, fsyncs every file, writes {@code manifest.json} last and renames
 * the staging directory to {@code releases/<id>}. A writer that dies or is closed before committing leaves
 * only a staging directory, which readers ignore. Committing does not publish: that is
 * {@link ReleaseStore#publish(String)}. Not thread-safe.
 */
public final class ReleaseWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseWriter.class);
    public static final String KEYWORD_DIR = "keyword";

    private final ReleaseStore store;
    private final Settings settings;
    private final String id;
    private final Path staging;
    private final KeywordIndexWriter keyword;
    private final ChunkStore.Writer chunks;
    private final MessageDigest corpusDigest = Sha256.newDigest();
    private final Set<String> pageIds = new HashSet<>();
    private float[] vectors = new float[0];
    private int count;
    private boolean committed;
    private final long startNanos = System.nanoTime();

    /**
     * What a release is built with.
     *
     * @param model        the embedding model the vectors come from
     * @param chunking     how the chunks were cut
     * @param vectorIndex  how the vector index is built
     * @param parent       the live release at build time, or null
     */
    public record Settings(Manifest.ModelRef model, ChunkingParameters chunking, VectorIndexOptions vectorIndex,
                           String parent) {
        public Settings {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(chunking, "chunking");
            Objects.requireNonNull(vectorIndex, "vectorIndex");
        }
    }

    private ReleaseWriter(ReleaseStore store, Settings settings, String id, Path staging) throws IOException {
        this.store = store;
        this.settings = settings;
        this.id = id;
        this.staging = staging;
        this.keyword = new KeywordIndexWriter(staging.resolve(KEYWORD_DIR));
        this.chunks = new ChunkStore.Writer(staging);
    }

    /** Starts a new release in a staging directory of the store. */
    public static ReleaseWriter begin(ReleaseStore store, Settings settings) throws IOException {
        String id = ReleaseStore.newReleaseId(Instant.now());
        Path staging = store.releasesDir().resolve(ReleaseStore.STAGING_PREFIX + id);
        Files.createDirectories(staging);
        log.info("release started id={} staging={}", id, staging);
        try {
            return new ReleaseWriter(store, settings, id, staging);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
    }

    public String id() {
        return id;
    }

    public int count() {
        return count;
    }

    /** Appends a chunk and its unit-length vector; its ordinal is the number of chunks added before it. */
    public void add(Chunk chunk, float[] vector) throws IOException {
        if (committed) {
            throw new IllegalStateException("release " + id + " is already committed");
        }
        int d = settings.model().dimension();
        if (vector.length != d) {
            throw new IllegalArgumentException("vector of chunk " + chunk.id() + " has " + vector.length
                    + " dimensions, the model has " + d);
        }
        if ((long) (count + 1) * d > vectors.length) {
            vectors = Arrays.copyOf(vectors, Math.max(d * 1024, vectors.length * 2));
        }
        System.arraycopy(vector, 0, vectors, count * d, d);
        keyword.add(count, chunk);
        chunks.add(chunk);
        pageIds.add(chunk.pageId());
        corpusDigest.update(chunk.id().getBytes(StandardCharsets.UTF_8));
        corpusDigest.update((byte) 0);
        corpusDigest.update(chunk.text().getBytes(StandardCharsets.UTF_8));
        corpusDigest.update((byte) 0);
        count++;
    }

    /**
     * Finishes the release: vector index, Lucene commit, checksums, manifest, rename into place.
     *
     * @return the manifest of the complete (not yet published) release
     */
    public Manifest commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("release " + id + " is already committed");
        }
        if (count == 0) {
            throw new IllegalStateException("release " + id + " has no chunks; refusing to write an empty release");
        }
        keyword.close();
        chunks.close();
        int d = settings.model().dimension();
        String factory = VectorIndex.build(Arrays.copyOf(vectors, count * d), d, settings.vectorIndex(),
                staging.resolve(VectorIndex.FILE));
        vectors = null;

        List<Manifest.FileEntry> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                AtomicFiles.fsync(p);
                String rel = staging.relativize(p).toString().replace('\\', '/');
                files.add(new Manifest.FileEntry(rel, Files.size(p), Sha256.of(p)));
            }
        }
        Manifest manifest = new Manifest(Manifest.FORMAT, id, Instant.now().toString(), settings.parent(),
                Sha256.hex(corpusDigest), pageIds.size(), count, settings.model(),
                settings.chunking(), factory, files);
        Path manifestFile = staging.resolve(Manifest.FILE);
        ReleaseStore.JSON.writeValue(manifestFile.toFile(), manifest);
        AtomicFiles.fsync(manifestFile);
        AtomicFiles.fsyncDirectory(staging);
        AtomicFiles.rename(staging, store.releaseDir(id));
        committed = true;
        log.info("release written id={} pages={} chunks={} vectorIndex={} files={} ms={}", id, pageIds.size(), count,
                factory, files.size(), (System.nanoTime() - startNanos) / 1_000_000);
        return manifest;
    }

    /** Abandons an uncommitted release (its staging directory is deleted); a no-op after commit. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        committed = true;
        try {
            keyword.close();
            chunks.close();
        } catch (IOException | RuntimeException ignored) {
            // The staging directory goes away regardless.
        }
        AtomicFiles.deleteTree(staging);
        log.info("release abandoned id={} chunks={}", id, count);
    }
}
