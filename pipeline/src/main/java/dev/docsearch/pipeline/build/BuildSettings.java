package dev.docsearch.pipeline.build;

import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.util.Objects;

/**
 * How releases are built.
 *
 * @param threads  embedding threads (each runs one ONNX inference at a time)
 * @param chunking how pages are cut into chunks
 * @param vectors  how the vector index is built
 * @param model    the embedding model; a release built with another is rebuilt in full, never mixed
 */
public record BuildSettings(int threads, ChunkingParameters chunking, VectorIndexOptions vectors, BundledModel model) {

    public BuildSettings {
        Objects.requireNonNull(chunking, "chunking");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(vectors, "vectors");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** One embedding thread per core, the core's default chunking, vector index and model. */
    public static BuildSettings defaults() {
        return new BuildSettings(Runtime.getRuntime().availableProcessors(), ChunkingParameters.DEFAULT,
                VectorIndexOptions.DEFAULT, BundledModel.DEFAULT);
    }

    public BuildSettings withThreads(int v) {
        return new BuildSettings(v, chunking, vectors, model);
    }

    public BuildSettings withVectors(VectorIndexOptions v) {
        return new BuildSettings(threads, chunking, v, model);
    }

    public BuildSettings withModel(BundledModel v) {
        return new BuildSettings(threads, chunking, vectors, v);
    }
}
