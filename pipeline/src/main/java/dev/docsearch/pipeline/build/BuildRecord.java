package dev.docsearch.pipeline.build;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the pipeline knows about a release it built, kept beside the release (in {@code <root>/builds/}) because
 * a release directory is immutable and its manifest belongs to the core: the inputs it was built from (to
 * tell whether a new build would differ), how its pages moved against its parent, and the work it took.
 *
 * @param format         record format version
 * @param release        the release id
 * @param parent         the release live when it was built, or null
 * @param inputsDigest   digest of the pages, model and chunking it was built from ({@link BuildInputs})
 * @param pages          pages in the release
 * @param chunks         chunks in the release
 * @param changes        pages added, changed, removed and unchanged against the parent
 * @param chunksEmbedded chunks whose vectors were computed by the build
 * @param chunksReused   chunks whose vectors came from the embedding cache
 * @param buildMillis    wall time of the build
 * @param pageHashes     page id to content hash, so the next build can tell what changed
 * @param chunker        the {@link dev.docsearch.core.chunk.Chunker#ALGORITHM} that cut its chunks, so the next
 *                       build knows whether it may reuse them; null in records written before it was kept
 */
public record BuildRecord(int format, String release, String parent, String inputsDigest, int pages, int chunks,
                          PageChanges changes, int chunksEmbedded, int chunksReused, long buildMillis,
                          Map<String, String> pageHashes, String chunker) {

    public static final int FORMAT = 1;

    public BuildRecord {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(inputsDigest, "inputsDigest");
        Objects.requireNonNull(changes, "changes");
        pageHashes = pageHashes == null ? Map.of() : new TreeMap<>(pageHashes);
    }
}
