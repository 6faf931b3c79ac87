package dev.docsearch.core.release;

import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.io.IOException;
import java.util.List;
import java.util.Random;

/** Writes small releases with deterministic pseudo-random vectors, for tests of the release mechanics. */
public final class TestReleases {

    public static final int DIM = 16;
    public static final Manifest.ModelRef MODEL = new Manifest.ModelRef("test-model", "0".repeat(64), DIM);

    private TestReleases() {
    }

    public static ReleaseWriter.Settings settings() {
        return new ReleaseWriter.Settings(MODEL, ChunkingParameters.DEFAULT, VectorIndexOptions.DEFAULT, null);
    }

    public static Chunk chunk(int i) {
        return new Chunk("guide/page" + (i / 2) + "#" + (i % 2), "guide/page" + (i / 2), "https://example.com/" + (i / 2),
                "Page " + (i / 2), i % 3 == 0 ? "alpha-guide" : "beta-guide", List.of("Section " + i),
                "Chunk number " + i + " talks about bucket versioning and instance type t3.medium " + i);
    }

    public static float[] vector(long seed) {
        return unitVector(new Random(seed), DIM);
    }

    /** A random direction of {@code dim} dimensions, as the model's normalised vectors are. */
    public static float[] unitVector(Random r, int dim) {
        float[] v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** Writes and commits a release of {@code n} chunks; does not publish it. */
    public static Manifest write(ReleaseStore store, int n) throws IOException {
        try (ReleaseWriter w = ReleaseWriter.begin(store, settings())) {
            for (int i = 0; i < n; i++) {
                w.add(chunk(i), vector(i));
            }
            return w.commit();
        }
    }
}
