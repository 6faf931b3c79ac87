package dev.docsearch.core.release;

import dev.docsearch.core.chunk.ChunkingParameters;

import java.util.List;
import java.util.Objects;

/**
 * What a release is: written last into a release directory, read first by anyone who uses it.
 *
 * @param format       manifest format version
 * @param id           release id (also the directory name)
 * @param created      ISO-8601 instant the release was written
 * @param parent       the release that was live when this one was built, or null
 * @param corpusDigest SHA-256 over the chunk ids and texts, in order: equal digests mean equal content
 * @param pages        distinct pages in the release
 * @param chunks       chunks in the release (= vectors = Lucene documents)
 * @param model        the embedding model whose vectors the release holds
 * @param chunking     how pages were cut into chunks
 * @param vectorIndex  the FAISS factory string of {@code vectors.faiss}
 * @param files        every file of the release except the manifest, with size and SHA-256
 */
public record Manifest(int format, String id, String created, String parent, String corpusDigest,
                       int pages, int chunks, ModelRef model, ChunkingParameters chunking, String vectorIndex,
                       List<FileEntry> files) {

    public static final String FILE = "manifest.json";
    public static final int FORMAT = 1;

    public Manifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        files = List.copyOf(files);
    }

    /** The embedding model of a release: vectors of different models never mix. */
    public record ModelRef(String name, String sha256, int dimension) {
    }

    /** One file of a release, path relative to the release directory with '/' separators. */
    public record FileEntry(String path, long bytes, String sha256) {
    }
}
