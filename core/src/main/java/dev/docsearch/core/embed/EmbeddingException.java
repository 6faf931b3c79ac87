package dev.docsearch.core.embed;

/** Running the embedding model failed (ONNX Runtime error, interrupted wait, closed embedder). */
public class EmbeddingException extends RuntimeException {

    public EmbeddingException(String message) {
        super(message);
    }

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }
}
