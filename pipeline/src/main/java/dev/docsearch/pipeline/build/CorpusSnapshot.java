package dev.docsearch.pipeline.build;

import dev.docsearch.core.io.Sha256;
import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.corpus.PageDigest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pages a build indexes, in page id order (so a release does not depend on the order sources listed
 * them), with each page's content hash and one digest over all of them.
 *
 * @param pages  the pages, sorted by id
 * @param hashes page id to content hash ({@link PageDigest})
 */
public record CorpusSnapshot(List<Page> pages, Map<String, String> hashes) {

    public CorpusSnapshot {
        pages = List.copyOf(pages);
        hashes = Collections.unmodifiableMap(new TreeMap<>(hashes));
    }

    /** A snapshot of these pages (any order; ids must be unique). */
    public static CorpusSnapshot of(List<Page> pages) {
        List<Page> sorted = new ArrayList<>(pages);
        sorted.sort(Comparator.comparing(Page::id));
        Map<String, String> hashes = new TreeMap<>();
        for (Page p : sorted) {
            if (hashes.put(p.id(), PageDigest.of(p)) != null) {
                throw new IllegalArgumentException("page id " + p.id() + " appears twice");
            }
        }
        return new CorpusSnapshot(sorted, hashes);
    }

    /** The committed pages of a corpus. */
    public static CorpusSnapshot of(CorpusStore store) throws IOException {
        return of(store.committedPages());
    }

    public boolean isEmpty() {
        return pages.isEmpty();
    }

    /** SHA-256 over the (id, content hash) pairs: equal digests mean the same pages with the same content. */
    public String digest() {
        MessageDigest md = Sha256.newDigest();
        for (Map.Entry<String, String> e : hashes.entrySet()) {
            md.update((e.getKey() + "\t" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(md);
    }
}
