package dev.docsearch.pipeline.build;

import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.io.Sha256;
import dev.docsearch.core.vector.VectorIndexOptions;


/**
 * Everything a release's content depends on: the pages, the embedding model, how pages are chunked (the
 * chunker's algorithm and parameters) and how
 * the vector index is built. Two builds with equal {@link #digest()}s produce equivalent releases, which is
 * how an update knows that there is nothing to publish.
 */
public record BuildInputs(CorpusSnapshot corpus, ModelInfo model, ChunkingParameters chunking,
                          VectorIndexOptions vectors) {

    public String digest() {
        String text = "corpus=" + corpus.digest() + "\nmodel=" + model.name() + "/" + model.sha256()
                + "\nchunking=" + Chunker.ALGORITHM + " " + chunking + "\nvectors=" + vectors + "\n";
        return Sha256.of(text);
    }
}
