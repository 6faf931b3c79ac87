package dev.docsearch.core.cache;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.Pooling;
import dev.docsearch.core.embed.TextEncoding;
import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Vectors by (model, text hash), so a rebuild re-embeds only new or changed chunks.
 *
 * <p>Lives in {@code <root>/cache/embeddings/<directory>/} ({@link #directoryName}) as immutable segment files, each written
 * whole (temp + rename) by {@link #flush()}: a crash loses at most the vectors not yet flushed, never a
 * segment already written. Many small files are slow on S3 Files, so segments are few and large, and
 * {@link #flush()} merges them when they pile up. Not thread-safe; one builder uses it at a time (the
 * pipeline holds the update lock).
 */
public final class EmbeddingCache {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingCache.class);
    private static final int MAGIC = 0x44534543; // "DSEC"
    private static final int KEY_BYTES = 16;
    private static final int MAX_SEGMENTS = 16;

    private final Path dir;
    private final int dimension;
    private final Map<String, float[]> vectors = new HashMap<>();
    private final Map<String, float[]> unflushed = new HashMap<>();
    private final List<Path> segments = new ArrayList<>();

    private EmbeddingCache(Path dir, int dimension) {
        this.dir = dir;
        this.dimension = dimension;
    }

    /** Opens (or creates) the cache of one model's passage vectors under an artifact root and loads its segments. */
    public static EmbeddingCache open(Path root, ModelInfo model) throws IOException {
        Path dir = root.resolve("cache").resolve("embeddings").resolve(directoryName(model));
        Files.createDirectories(dir);
        EmbeddingCache cache = new EmbeddingCache(dir, model.dimension());
        long start = System.nanoTime();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.bin")) {
            for (Path p : ds) {
                if (cache.load(p)) {
                    cache.segments.add(p);
                }
            }
        }
        log.info("embedding cache opened dir={} vectors={} segments={} ms={}", dir, cache.vectors.size(),
                cache.segments.size(), (System.nanoTime() - start) / 1_000_000);
        return cache;
    }

    /**
     * The directory of a model's cache: the SHA-256 of its graph, followed, unless its passages go in as plain text
     * and come out mean-pooled, by a digest of how they go in and out (pooling, passage prefix). So a graph run
     * another way (a hand-edited {@code model.properties}) never reuses vectors it did not make. The query prefix
     * is left out: the cache holds passages only.
     */
    public static String directoryName(ModelInfo model) {
        TextEncoding encoding = model.encoding();
        if (encoding.pooling() == Pooling.MEAN && encoding.passagePrefix().isEmpty()) {
            return model.sha256(); // also the directory of every cache written before encodings were recorded
        }
        String how = encoding.pooling().key() + "\n" + encoding.passagePrefix();
        return model.sha256() + "-" + Sha256.of(how).substring(0, 16);
    }

    /** The key of a text: the first 128 bits of its SHA-256 (collisions are not a practical concern). */
    public static String key(String text) {
        byte[] d = Sha256.newDigest().digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, KEY_BYTES);
    }

    public int size() {
        return vectors.size();
    }

    public float[] get(String key) {
        float[] v = vectors.get(key);
        return v == null ? null : v.clone();
    }

    public void put(String key, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, cache holds " + dimension);
        }
        if (vectors.putIfAbsent(key, vector.clone()) == null) {
            unflushed.put(key, vector.clone());
        }
    }

    /** Writes the vectors added since the last flush as one new segment; merges segments when there are many. */
    public void flush() throws IOException {
        if (!unflushed.isEmpty()) {
            segments.add(writeSegment(unflushed));
            unflushed.clear();
        }
        if (segments.size() > MAX_SEGMENTS) {
            List<Path> old = new ArrayList<>(segments);
            Path merged = writeSegment(vectors);
            segments.clear();
            segments.add(merged);
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
            log.info("embedding cache compacted vectors={} segmentsMerged={}", vectors.size(), old.size());
        }
    }

    private Path writeSegment(Map<String, float[]> entries) throws IOException {
        Path target = dir.resolve("seg-" + System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8) + ".bin");
        HexFormat hex = HexFormat.of();
        ByteBuffer floats = ByteBuffer.allocate(dimension * 4).order(ByteOrder.LITTLE_ENDIAN);
        AtomicFiles.write(target, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(dimension);
            out.writeLong(entries.size());
            for (Map.Entry<String, float[]> e : entries.entrySet()) {
                out.write(hex.parseHex(e.getKey()));
                floats.clear();
                floats.asFloatBuffer().put(e.getValue());
                out.write(floats.array());
            }
            out.flush();
        });
        return target;
    }

    /** Loads a segment; a damaged one is skipped (its vectors are simply recomputed), never fatal. */
    private boolean load(Path segment) {
        try {
            byte[] all = Files.readAllBytes(segment);
            ByteBuffer b = ByteBuffer.wrap(all);
            if (all.length < 16 || b.getInt() != MAGIC || b.getInt() != dimension) {
                log.warn("embedding cache segment ignored file={} reason=bad header", segment);
                return false;
            }
            long n = b.getLong();
            long recordBytes = KEY_BYTES + 4L * dimension;
            if (n < 0 || 16 + n * recordBytes != all.length) {
                log.warn("embedding cache segment ignored file={} reason=truncated", segment);
                return false;
            }
            HexFormat hex = HexFormat.of();
            byte[] key = new byte[KEY_BYTES];
            b.order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                b.get(key);
                float[] v = new float[dimension];
                b.asFloatBuffer().get(v);
                b.position(b.position() + 4 * dimension);
                vectors.put(hex.formatHex(key), v);
            }
            return true;
        } catch (IOException e) {
            log.warn("embedding cache segment ignored file={} reason={}", segment, e.getMessage());
            return false;
        }
    }
}
