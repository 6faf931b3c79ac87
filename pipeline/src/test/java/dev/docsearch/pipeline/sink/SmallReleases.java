package dev.docsearch.pipeline.sink;

import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.ReleaseWriter;
import dev.docsearch.core.release.TestReleases;
import dev.docsearch.core.vector.VectorIndexOptions;

import java.util.List;
import java.util.Random;

/** Real releases (FAISS, Lucene, chunk store, manifest) of a few chunks with seeded random vectors: no embedding. */
final class SmallReleases {

    private SmallReleases() {
    }

    static Manifest write(ReleaseStore store, ModelInfo model, int chunks, long seed) throws Exception {
        Manifest.ModelRef ref = new Manifest.ModelRef(model.name(), model.sha256(), model.dimension());
        ReleaseWriter.Settings settings = new ReleaseWriter.Settings(ref, ChunkingParameters.DEFAULT,
                VectorIndexOptions.DEFAULT, store.current().orElse(null));
        Random random = new Random(seed);
        try (ReleaseWriter w = ReleaseWriter.begin(store, settings)) {
            for (int i = 0; i < chunks; i++) {
                String page = "test-guide/page-" + seed + "-" + (i / 2);
                w.add(new Chunk(page + "#" + i, page, "https://docs.example.com/" + page + ".html", "Page " + i,
                        "test-guide", List.of("Section " + i), "Text " + i + " of release " + seed),
                        TestReleases.unitVector(random, model.dimension()));
            }
            return w.commit();
        }
    }
}
