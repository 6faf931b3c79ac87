package dev.docsearch.faiss;

/**
 * An error raised by FAISS itself (a C++ exception caught in the JNI shim), carrying FAISS's own
 * message prefixed by the operation that failed, for example
 * {@code read_index(/tmp/x.faiss): Error in ... could not open /tmp/x.faiss for reading: No such file or directory}.
 *
 * <p>Argument errors detected in Java before FAISS is called (a vector array whose length is not a
 * multiple of the dimension, {@code k < 1}, ...) are {@link IllegalArgumentException}s; use of a
 * closed index is an {@link IllegalStateException}.
 */
public final class FaissException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Thrown from the shim through JNI's {@code ThrowNew}, which calls this constructor. */
    public FaissException(String message) {
        super(message);
    }
}
