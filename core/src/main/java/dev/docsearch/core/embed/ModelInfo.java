package dev.docsearch.core.embed;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A verified embedding model on disk: what the release manifest records and what {@link Embedder}
 * loads.
 *
 * @param name      model name, e.g. {@code all-minilm-l6-v2}; also the directory under {@code models/}
 * @param sha256    lowercase hex SHA-256 of {@code model.onnx}; also the name of {@code directory}
 * @param dimension length of the vectors the model produces
 * @param directory the directory holding {@code model.onnx} and {@code tokenizer.json}
 * @param encoding  how the model is run: pooling and prefixes
 */
public record ModelInfo(String name, String sha256, int dimension, Path directory, TextEncoding encoding) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelInfo {
        checkName(name);
        checkSha256(sha256);
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(encoding, "encoding");
        checkDimension(dimension);
    }

    /** Model names are single path segments: lowercase letters, digits, '.', '_' and '-'. */
    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name must match " + NAME + ", got '" + name + "'");
        }
        return name;
    }

    static String checkSha256(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
        return sha256;
    }

    static int checkDimension(int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        return dimension;
    }

    /** The ONNX graph. */
    public Path modelFile() {
        return directory.resolve(ModelStore.MODEL_FILE);
    }

    /** The Hugging Face tokenizer definition. */
    public Path tokenizerFile() {
        return directory.resolve(ModelStore.TOKENIZER_FILE);
    }
}
