package dev.docsearch.core.vector;

/**
 * How the vector index is built.
 *
 * @param exactUpTo         vector counts up to this use exact (flat) inner-product search
 * @param approximateFactory FAISS factory string used past {@code exactUpTo}; {@code {nlist}} is replaced by a
 *                          list count derived from the vector count (about 4·√n) for IVF indexes
 * @param efSearch          HNSW search breadth (ignored by other index kinds)
 * @param nprobe            IVF lists probed per query (ignored by other index kinds)
 */
public record VectorIndexOptions(int exactUpTo, String approximateFactory, int efSearch, int nprobe) {

    /**
     * Flat up to 20k vectors, HNSW past that. A flat scan is bound by memory bandwidth: 8 ms per query over
     * the 50k MiniLM vectors of awsdocs on 2 cores, most of the service's latency budget, where HNSW32 with
     * efSearch 128 answers in 0.7 ms at recall@10 0.999 and builds in 18 s ({@code scripts/bench faiss-real}).
     */
    public static final VectorIndexOptions DEFAULT = new VectorIndexOptions(20_000, "HNSW32,Flat", 128, 32);

    public VectorIndexOptions {
        if (exactUpTo < 0) {
            throw new IllegalArgumentException("exactUpTo must be >= 0");
        }
        if (approximateFactory == null || approximateFactory.isBlank()) {
            throw new IllegalArgumentException("approximateFactory must be a FAISS factory string");
        }
        if (efSearch < 1 || nprobe < 1) {
            throw new IllegalArgumentException("efSearch and nprobe must be >= 1");
        }
    }

    public VectorIndexOptions withExactUpTo(int n) {
        return new VectorIndexOptions(n, approximateFactory, efSearch, nprobe);
    }

    /** The factory string for an index of {@code n} vectors. */
    public String factoryFor(long n) {
        if (n <= exactUpTo) {
            return "Flat";
        }
        long nlist = Math.max(1, Math.min(65_536, Math.round(4 * Math.sqrt(n))));
        return approximateFactory.replace("{nlist}", Long.toString(nlist));
    }
}
