package dev.docsearch.core.release;

import dev.docsearch.core.model.Chunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The chunks an earlier release holds for pages that have not changed since, so that a rebuild cuts only the
 * changed pages: chunking counts tokens with the model's tokenizer, which costs about 25 s for the 4,000 pages
 * of awsdocs, while reading their chunks back from the previous release takes well under a second.
 *
 * <p>Sound only when the earlier release was cut by the same chunker, with the same parameters and the same
 * model's tokenizer, from the same page content: the caller checks that (the pipeline compares page hashes and
 * its build records). Immutable once read; thread-safe.
 */
public final class ReusedChunks {

    private static final Logger log = LoggerFactory.getLogger(ReusedChunks.class);

    /** Nothing to reuse: every page is chunked. */
    public static final ReusedChunks NONE = new ReusedChunks(Map.of());

    private final Map<String, List<Chunk>> byPage;

    private ReusedChunks(Map<String, List<Chunk>> byPage) {
        this.byPage = byPage;
    }

    /**
     * Reads the chunks of {@code pageIds} from release {@code id}, after checking the chunk store's files against
     * the release's manifest (a damaged earlier release must not leak into the next one).
     *
     * @throws ReleaseRejectedException when the release's chunk files are missing or damaged
     */
    public static ReusedChunks read(ReleaseStore store, String id, Set<String> pageIds)
            throws ReleaseRejectedException {
        Objects.requireNonNull(pageIds, "pageIds");
        long start = System.nanoTime();
        store.verify(id, path -> path.equals(ChunkStore.DATA_FILE) || path.equals(ChunkStore.INDEX_FILE));
        Map<String, List<Chunk>> byPage = new HashMap<>();
        try (ChunkStore chunks = ChunkStore.open(store.releaseDir(id))) {
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                if (pageIds.contains(c.pageId())) {
                    byPage.computeIfAbsent(c.pageId(), k -> new ArrayList<>()).add(c);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ReleaseRejectedException(id, "its chunks cannot be read: " + e.getMessage(), e);
        }
        byPage.replaceAll((page, list) -> List.copyOf(list));
        log.info("chunks read for reuse release={} pages={} chunks={} ms={}", id, byPage.size(),
                byPage.values().stream().mapToInt(List::size).sum(), (System.nanoTime() - start) / 1_000_000);
        return new ReusedChunks(Map.copyOf(byPage));
    }

    /** The page's chunks in order, or null when this holds none for it (then the page is chunked). */
    public List<Chunk> of(String pageId) {
        return byPage.get(pageId);
    }

    /** Pages whose chunks this holds. */
    public int pages() {
        return byPage.size();
    }
}
