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
     * Flat up to 20k vectors, IVF (about 4·√n lists, 32 probed) past that. A flat scan is bound by memory
     * bandwidth: 8 ms per query over the 50k MiniLM vectors of awsdocs on 2 cores, most of the service's
     * latency budget. On those vectors ({@code scripts/bench faiss-real}) IVF890,Flat with nprobe 32 answers in
     * 0.67 ms at recall@10 0.994 and builds in 3.2 s; HNSW32 (efSearch 128) answers in 0.70 ms at 0.999 but
     * builds in 10.6 s, and FAISS 1.7.3 must read its graph and vectors into fresh memory at every load
     * (0.4 s of page faults on a VM), where IVF's lists are memory-mapped from the file.
     */
    public static final VectorIndexOptions DEFAULT = new VectorIndexOptions(20_000, "IVF{nlist},Flat", 128, 32);

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
