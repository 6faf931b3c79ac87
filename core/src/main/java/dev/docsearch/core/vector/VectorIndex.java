package dev.docsearch.core.vector;

import dev.docsearch.faiss.FaissIndex;
import dev.docsearch.faiss.Metric;
import dev.docsearch.faiss.SearchResult;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Inner-product search over unit-length chunk vectors (so scores are cosines), ids = chunk ordinals.
 *
 * <p>Thread-safe for concurrent searches; owns its FAISS index and frees it on {@link #close()}.
 */
public final class VectorIndex implements Closeable {

    public static final String FILE = "vectors.faiss";

    private final FaissIndex index;

    private VectorIndex(FaissIndex index) {
        this.index = index;
    }

    /**
     * Builds an index over {@code vectors} (row-major, {@code n * dimension}) and writes it to {@code file}.
     * Exact while small, approximate past {@link VectorIndexOptions#exactUpTo()}.
     *
     * @return the FAISS factory string used
     */
    public static String build(float[] vectors, int dimension, VectorIndexOptions options, Path file) {
        if (dimension <= 0 || vectors.length % dimension != 0) {
            throw new IllegalArgumentException("vectors length " + vectors.length + " is not a multiple of dimension " + dimension);
        }
        long n = vectors.length / dimension;
        String factory = options.factoryFor(n);
        // A build has the machine to itself (searches keep their own thread count): HNSW insertion and IVF
        // training run on every core, which halves the 20 s HNSW build of awsdocs on 2 cores.
        int threads = Runtime.getRuntime().availableProcessors();
        try (FaissIndex index = FaissIndex.create(dimension, factory, Metric.INNER_PRODUCT)) {
            if (!index.isTrained()) {
                index.train(vectors, threads);
            }
            index.add(vectors, threads);
            index.write(file);
        }
        return factory;
    }

    /**
     * Opens an index file written by {@link #build}; IVF indexes are memory-mapped, others loaded.
     *
     * @param factory the factory string {@link #build} returned (recorded in the release manifest), which says
     *                which search parameters apply
     */
    public static VectorIndex open(Path file, String factory, VectorIndexOptions options) {
        FaissIndex index = FaissIndex.read(file, true);
        try {
            if (factory.startsWith("HNSW")) {
                index.setParameter("efSearch", options.efSearch());
            } else if (factory.startsWith("IVF")) {
                index.setParameter("nprobe", options.nprobe());
            }
            return new VectorIndex(index);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    public long size() {
        return index.ntotal();
    }

    public int dimension() {
        return index.dimension();
    }

    /** The {@code n} nearest chunks to a unit-length query, best first. */
    public List<Hit> search(float[] query, int n) {
        if (index.ntotal() == 0) {
            return List.of();
        }
        SearchResult r = index.search(query, (int) Math.min(n, index.ntotal()));
        List<Hit> hits = new ArrayList<>(r.ids().length);
        for (int i = 0; i < r.ids().length; i++) {
            if (r.ids()[i] >= 0) {
                hits.add(new Hit((int) r.ids()[i], r.scores()[i]));
            }
        }
        return hits;
    }

    @Override
    public void close() {
        index.close();
    }

    /** A chunk ordinal and its cosine similarity to the query. */
    public record Hit(int ordinal, float score) {
    }
}
