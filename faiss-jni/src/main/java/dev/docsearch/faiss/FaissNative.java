package dev.docsearch.faiss;

/**
 * The JNI entry points of {@code libfaissjni.so}, one per FAISS operation. Handles are
 * {@code faiss::Index*} owned by {@link FaissIndex}; strings cross as NUL-free UTF-8 bytes so paths
 * keep their exact encoding. Every entry point catches all C++ exceptions and rethrows them as
 * {@link FaissException}; compute entry points set the calling thread's OpenMP thread count to
 * {@code threads} first, because OpenMP keeps that setting per thread.
 *
 * <p>{@code javac -h} turns this class into the header the shim includes, so a signature that
 * drifts from the C++ side fails the native build instead of failing at run time.
 */
final class FaissNative {

    static {
        NativeLibrary.load();
    }

    private FaissNative() {
    }

    /** Returns the version FAISS was built as, e.g. "1.7.3". */
    static native String faissVersion();

    /** FAISS's {@code distance_compute_blas_threshold}, which the shim sets to 1 at load. */
    static native int distanceComputeBlasThreshold();

    /** {@code omp_get_max_threads()} on the calling thread: what the last FAISS call on it was given. */
    static native int ompMaxThreads();

    /** Number of indexes created or read and not yet freed, in this process. */
    static native long liveIndexes();

    static native long create(int dimension, byte[] factory, int metric);

    static native long read(byte[] path, boolean mmap);

    static native void free(long handle);

    static native int dimension(long handle);

    static native int metric(long handle);

    static native long ntotal(long handle);

    static native boolean isTrained(long handle);

    static native void train(long handle, float[] vectors, int threads);

    static native void add(long handle, float[] vectors, int threads);

    /** Searches {@code n} queries; fills {@code scores} and {@code ids}, each at least n*k long. */
    static native void search(long handle, float[] queries, int n, int k, float[] scores, long[] ids, int threads);

    static native void setParameter(long handle, byte[] name, double value);

    static native void write(long handle, byte[] path);
}
