package dev.docsearch.faiss;

/**
 * How an index compares vectors. The constant's FAISS code is what the shim passes to
 * {@code faiss::index_factory}.
 */
public enum Metric {
    /** Inner product: larger scores are closer; cosine similarity when vectors are L2-normalised. */
    INNER_PRODUCT(0),
    /** Squared Euclidean distance: smaller scores are closer. */
    L2(1);

    private final int faissCode;

    Metric(int faissCode) {
        this.faissCode = faissCode;
    }

    int faissCode() {
        return faissCode;
    }
}
