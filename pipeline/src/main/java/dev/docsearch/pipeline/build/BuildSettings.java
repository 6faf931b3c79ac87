package dev.docsearch.pipeline.build;

import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.util.Objects;

/**
 * How releases are built.
 *
 * @param threads  embedding threads (each runs one ONNX inference at a time)
 * @param chunking how pages are cut into chunks
 * @param vectors  how the vector index is built
 */
public record BuildSettings(int threads, ChunkingParameters chunking, VectorIndexOptions vectors) {

    public BuildSettings {
        Objects.requireNonNull(chunking, "chunking");
        Objects.requireNonNull(vectors, "vectors");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** One embedding thread per core, the core's default chunking and vector index. */
    public static BuildSettings defaults() {
        return new BuildSettings(Runtime.getRuntime().availableProcessors(), ChunkingParameters.DEFAULT,
                VectorIndexOptions.DEFAULT);
    }

    public BuildSettings withThreads(int v) {
        return new BuildSettings(v, chunking, vectors);
    }

    public BuildSettings withVectors(VectorIndexOptions v) {
        return new BuildSettings(threads, chunking, v);
    }
}
