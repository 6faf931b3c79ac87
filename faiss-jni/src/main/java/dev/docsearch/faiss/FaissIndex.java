package dev.docsearch.faiss;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FAISS index held in native memory: created from a factory string or read from a file, trained,
 * filled, searched, written.
 *
 * <p><b>Ownership.</b> The index owns one {@code faiss::Index*}; {@link #close()} frees it exactly once
 * (closing again does nothing). An index that becomes unreachable without being closed is freed by a
 * {@link Cleaner} as a safety net, but callers should close it: native memory is invisible to the
 * Java heap's sizing. Any use after close throws {@link IllegalStateException}.
 *
 * <p><b>Thread-safety.</b> {@link #search}, {@link #searchBatch}, {@link #ntotal()}, {@link #isTrained()}
 * and {@link #write} may run concurrently from any number of threads (they share a read lock; FAISS
 * search is const for the index types used here). {@link #train}, {@link #add}, {@link #setParameter} and
 * {@link #close} take the write lock: they wait for running searches and block new ones until they
 * finish. So it is safe, though slow, to add while searching; a serving index should be built,
 * tuned, then only searched.
 *
 * <p><b>Threads inside FAISS.</b> OpenMP's thread count is a per-thread setting, so every call passes
 * the global default ({@link #setThreads}, 1 unless changed) to the shim, which applies it on the
 * calling thread. With 1, each search runs on its caller's thread and parallelism comes from
 * concurrent callers; raise it for a bulk build on an otherwise idle machine.
 *
 * <p><b>Errors.</b> FAISS's own errors (a bad factory string, an unreadable or foreign file, an
 * untrained index, an unknown parameter) are {@link FaissException}s with FAISS's message; invalid
 * arguments caught before FAISS is called are {@link IllegalArgumentException}s.
 *
 * <p>Vectors are {@code float[]} in row-major order: n vectors of {@link #dimension()} floats each.
 * Ids are sequential: the i-th vector ever added has id i.
 */
public final class FaissIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaissIndex.class);
    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "faiss-index-cleaner");
        thread.setDaemon(true);
        return thread;
    });
    /** Java arrays hold at most about this many elements. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** Far beyond any useful value (recall saturates in the hundreds); bounds per-search memory. */
    private static final int MAX_EF_SEARCH = 1 << 20;

    private static volatile int threads = 1;

    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int dimension;
    private final Metric metric;
    private final String origin;

    private FaissIndex(long pointer, String origin) {
        this.handle = new NativeHandle(pointer);
        this.cleanable = CLEANER.register(this, handle);
        this.origin = origin;
        try {
            this.dimension = FaissNative.dimension(pointer);
            this.metric = metricOf(FaissNative.metric(pointer), origin);
        } catch (RuntimeException e) {
            cleanable.clean();
            throw e;
        }
    }

    /**
     * Builds an empty index with {@code faiss::index_factory}.
     *
     * @param dimension number of floats per vector, at least 1
     * @param factory   FAISS factory string, e.g. {@code "Flat"}, {@code "HNSW32,Flat"}, {@code "IVF1024,SQ8"}
     * @param metric    how vectors are compared
     * @throws FaissException if FAISS rejects the factory string
     */
    public static FaissIndex create(int dimension, String factory, Metric metric) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
        }
        Objects.requireNonNull(metric, "metric");
        byte[] description = utf8("factory", factory);
        if (factory.isBlank()) {
            throw new IllegalArgumentException("factory string must not be blank");
        }
        long pointer = FaissNative.create(dimension, description, metric.faissCode());
        FaissIndex index = new FaissIndex(pointer, "\"" + factory + "\"");
        LOG.debug("faiss-jni: created index {} d={} metric={}", factory, dimension, metric);
        return index;
    }

    /** Reads a whole index file into memory; same as {@code read(path, false)}. */
    public static FaissIndex read(Path path) {
        return read(path, false);
    }

    /**
     * Reads an index file written by this class or by any FAISS (C++ or Python).
     *
     * @param path file to read
     * @param mmap map the inverted lists of an IVF index instead of reading them ({@code IO_FLAG_MMAP});
     *             the file must then stay unchanged while the index is open, and the index is read-only
     *             (add fails). Other index types ignore the flag and are read fully.
     * @throws FaissException if the file is missing, truncated, or not a FAISS index
     */
    public static FaissIndex read(Path path, boolean mmap) {
        Objects.requireNonNull(path, "path");
        Path absolute = path.toAbsolutePath();
        long start = System.nanoTime();
        long pointer = FaissNative.read(utf8("path", absolute.toString()), mmap);
        FaissIndex index = new FaissIndex(pointer, absolute.toString());
        LOG.info("faiss-jni: read {} ({} bytes, ntotal={}, d={}, metric={}, mmap={}) in {} ms", absolute,
                sizeOrMinusOne(absolute), index.ntotal(), index.dimension, index.metric, mmap,
                (System.nanoTime() - start) / 1_000_000);
        return index;
    }

    /**
     * Sets the number of OpenMP threads every later FAISS call may use (on whichever Java thread
     * makes it). Default 1.
     */
    public static void setThreads(int n) {
        checkThreads(n);
        threads = n;
    }

    private static void checkThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
    }

    /** The number of OpenMP threads FAISS calls use, as set by {@link #setThreads}. */
    public static int threads() {
        return threads;
    }

    /** Floats per vector. */
    public int dimension() {
        return dimension;
    }

    /** How this index compares vectors (for a read index: as stored in the file). */
    public Metric metric() {
        return metric;
    }

    /** Number of vectors in the index. */
    public long ntotal() {
        Lock read = lock.readLock();
        read.lock();
        try {
            return FaissNative.ntotal(pointer());
        } finally {
            read.unlock();
            Reference.reachabilityFence(this);
        }
    }

    /** Whether the index can take vectors; false for an IVF index until {@link #train} has run. */
    public boolean isTrained() {
        Lock read = lock.readLock();
        read.lock();
        try {
            return FaissNative.isTrained(pointer());
        } finally {
            read.unlock();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Trains the index (IVF centroids, quantizer ranges) on n vectors; a no-op for Flat and HNSW.
     *
     * @param vectors row-major n*d floats
     * @throws FaissException if FAISS rejects the training set (e.g. fewer vectors than IVF lists)
     */
    public void train(float[] vectors) {
        train(vectors, threads);
    }

    /**
     * {@link #train(float[])} with {@code threads} OpenMP threads for this call only (a build, say, that may use
     * every core while searches elsewhere in the process keep {@link #threads()}).
     */
    public void train(float[] vectors, int threads) {
        checkThreads(threads);
        long n = rows("vectors", vectors);
        Lock write = lock.writeLock();
        write.lock();
        long start = System.nanoTime();
        try {
            FaissNative.train(pointer(), vectors, threads);
        } finally {
            write.unlock();
            Reference.reachabilityFence(this);
        }
        LOG.info("faiss-jni: trained {} on {} vectors in {} ms", origin, n, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Appends n vectors; they get ids {@code ntotal() .. ntotal() + n - 1}.
     *
     * @param vectors row-major n*d floats
     * @throws FaissException if the index is not trained, or is a read-only memory-mapped index
     */
    public void add(float[] vectors) {
        add(vectors, threads);
    }

    /** {@link #add(float[])} with {@code threads} OpenMP threads for this call only. */
    public void add(float[] vectors, int threads) {
        checkThreads(threads);
        long n = rows("vectors", vectors);
        Lock write = lock.writeLock();
        write.lock();
        long start = System.nanoTime();
        long total;
        try {
            long pointer = pointer();
            FaissNative.add(pointer, vectors, threads);
            total = FaissNative.ntotal(pointer);
        } finally {
            write.unlock();
            Reference.reachabilityFence(this);
        }
        LOG.debug("faiss-jni: added {} vectors to {} (ntotal={}) in {} ms", n, origin, total,
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Finds the k nearest vectors of one query.
     *
     * @param query exactly {@link #dimension()} floats
     * @param k     number of hits wanted, at least 1
     */
    public SearchResult search(float[] query, int k) {
        Objects.requireNonNull(query, "query");
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " floats but the index has dimension "
                    + dimension);
        }
        requirePositiveK(k);
        float[] scores = new float[k];
        long[] ids = new long[k];
        searchInto(query, 1, k, scores, ids);
        return new SearchResult(scores, ids);
    }

    /**
     * Finds the k nearest vectors of each of n queries in one FAISS call (BLAS batches them).
     * (Not an overload of {@link #search(float[], int)}: Java cannot overload on return type alone.)
     *
     * @param queries row-major n*d floats
     * @param k       number of hits wanted per query, at least 1
     * @return n results, in query order
     */
    public SearchResult[] searchBatch(float[] queries, int k) {
        long n = rows("queries", queries);
        requirePositiveK(k);
        if (n * k > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(n + " queries times k=" + k + " hits do not fit in one Java array;"
                    + " search in smaller batches");
        }
        if (n == 0) {
            return new SearchResult[0];
        }
        float[] scores = new float[(int) (n * k)];
        long[] ids = new long[(int) (n * k)];
        searchInto(queries, (int) n, k, scores, ids);
        SearchResult[] results = new SearchResult[(int) n];
        for (int i = 0; i < n; i++) {
            int from = i * k;
            results[i] = new SearchResult(
                    Arrays.copyOfRange(scores, from, from + k),
                    Arrays.copyOfRange(ids, from, from + k));
        }
        return results;
    }

    /**
     * Sets a search-time parameter through {@code faiss::ParameterSpace}, e.g. {@code "nprobe"} for IVF
     * or {@code "efSearch"} for HNSW.
     *
     * @throws FaissException           if this index type has no such parameter
     * @throws IllegalArgumentException if the value is not a number FAISS can take: FAISS converts
     *                                  values to {@code int} unchecked, and takes a non-positive
     *                                  {@code nprobe} or {@code efSearch} without complaint, failing
     *                                  (nprobe) or silently returning one hit (efSearch) at search time
     */
    public void setParameter(String name, double value) {
        byte[] encoded = utf8("parameter name", name);
        requireValidParameter(name, value);
        Lock write = lock.writeLock();
        write.lock();
        try {
            FaissNative.setParameter(pointer(), encoded, value);
        } finally {
            write.unlock();
            Reference.reachabilityFence(this);
        }
        LOG.debug("faiss-jni: set {}={} on {}", name, value, origin);
    }

    /**
     * Writes the index in FAISS's standard format (readable by any FAISS, e.g. Python's
     * {@code faiss.read_index}). Replaces an existing file; the parent directory must exist.
     *
     * @throws FaissException if the file cannot be written
     */
    public void write(Path path) {
        Objects.requireNonNull(path, "path");
        Path absolute = path.toAbsolutePath();
        byte[] encoded = utf8("path", absolute.toString());
        Lock read = lock.readLock();
        read.lock();
        long start = System.nanoTime();
        long total;
        try {
            long pointer = pointer();
            FaissNative.write(pointer, encoded);
            total = FaissNative.ntotal(pointer);
        } finally {
            read.unlock();
            Reference.reachabilityFence(this);
        }
        LOG.info("faiss-jni: wrote {} ({} bytes, ntotal={}) in {} ms", absolute, sizeOrMinusOne(absolute), total,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Frees the native index. Idempotent; waits for running searches to finish. */
    @Override
    public void close() {
        Lock write = lock.writeLock();
        write.lock();
        try {
            cleanable.clean();
        } finally {
            write.unlock();
        }
    }

    @Override
    public String toString() {
        return "FaissIndex[" + origin + ", d=" + dimension + ", metric=" + metric
                + (handle.pointer.get() == 0 ? ", closed" : "") + "]";
    }

    private void searchInto(float[] queries, int n, int k, float[] scores, long[] ids) {
        Lock read = lock.readLock();
        read.lock();
        try {
            FaissNative.search(pointer(), queries, n, k, scores, ids, threads);
        } finally {
            read.unlock();
            Reference.reachabilityFence(this);
        }
    }

    private long pointer() {
        long pointer = handle.pointer.get();
        if (pointer == 0) {
            throw new IllegalStateException("FAISS index " + origin + " is closed");
        }
        return pointer;
    }

    private long rows(String what, float[] vectors) {
        Objects.requireNonNull(vectors, what);
        if (vectors.length % dimension != 0) {
            throw new IllegalArgumentException(what + " has " + vectors.length + " floats, which is not a multiple of"
                    + " the index dimension " + dimension + " (vectors are row-major n*d)");
        }
        return vectors.length / dimension;
    }

    private static void requireValidParameter(String name, double value) {
        if (!Double.isFinite(value) || value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter " + name + " must be a number in [0, " + Integer.MAX_VALUE
                    + "], got " + value);
        }
        boolean count = name.equals("nprobe") || name.equals("efSearch");
        if (count && (value < 1 || value != Math.rint(value))) {
            throw new IllegalArgumentException(name + " must be a whole number of at least 1, got " + value);
        }
        // efSearch sizes per-search heaps: a huge value would allocate gigabytes on every search.
        if (name.equals("efSearch") && value > MAX_EF_SEARCH) {
            throw new IllegalArgumentException("efSearch must be at most " + MAX_EF_SEARCH + ", got " + value);
        }
    }

    private static void requirePositiveK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    private static byte[] utf8(String what, String text) {
        Objects.requireNonNull(text, what);
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain a NUL character");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Metric metricOf(int faissCode, String origin) {
        for (Metric metric : Metric.values()) {
            if (metric.faissCode() == faissCode) {
                return metric;
            }
        }
        throw new FaissException("index " + origin + " uses FAISS metric type " + faissCode
                + ", which faiss-jni does not support (only INNER_PRODUCT and L2)");
    }

    private static long sizeOrMinusOne(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The state the Cleaner frees: must not refer to the FaissIndex, or it would never become unreachable. */
    private static final class NativeHandle implements Runnable {
        final AtomicLong pointer;

        NativeHandle(long pointer) {
            this.pointer = new AtomicLong(pointer);
        }

        @Override
        public void run() {
            long p = pointer.getAndSet(0);
            if (p != 0) {
                FaissNative.free(p);
            }
        }
    }
}
