package dev.docsearch.pipeline.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.model.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The crawl state under {@code <artifact root>/corpus/}, written so that a crash at any point
 * loses nothing already fetched and never leaves a half-written state:
 * <pre>
 * corpus/
 *   index.json          the committed state: one {@link PageState} per page; replaced atomically
 *   journal.jsonl       pages fetched by a crawl not committed yet, one PageState per line (append-only)
 *   pages/ab/&lt;sha&gt;.json  extracted pages, immutable, named by their content hash
 * </pre>
 * A crawl writes each fetched page's file (temp + fsync + rename) and then appends its state to
 * the journal; {@link #commit} replaces the index in one rename and then drops the journal and the
 * page files nothing refers to. A crawl that dies or aborts leaves the index as it was; the next
 * crawl finds its fetches in {@link #pending()} and re-uses them. Journal lines are each written
 * with one write (so a killed process loses none) and fsynced at least every
 * {@value #JOURNAL_SYNC_MILLIS} ms and before a commit (so a power cut loses at most that much).
 * One crawl at a time per root (the caller holds the update lock); {@link #record} is thread-safe.
 */
public final class CorpusStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CorpusStore.class);

    /** The folder name under the artifact root. */
    public static final String DIRECTORY = "corpus";
    static final String INDEX = "index.json";
    static final String JOURNAL = "journal.jsonl";
    static final String PAGES = "pages";
    static final int FORMAT = 1;
    static final long JOURNAL_SYNC_MILLIS = 200;

    /** The index file's shape. */
    record Index(int format, Instant committedAt, int pageCount, List<PageState> pages) { }

    private final Path dir;
    private final Path pagesDir;
    private Map<String, PageState> committed;
    private Map<String, PageState> pending;
    private FileOutputStream journal;
    private long lastSyncNanos = System.nanoTime();
    private boolean journalDirty;

    private CorpusStore(Path dir) {
        this.dir = dir;
        this.pagesDir = dir.resolve(PAGES);
    }

    /**
     * Opens (creating if needed) the corpus of an artifact root, reading the committed index and
     * the journal of an unfinished crawl.
     *
     * @throws IOException when the folder cannot be created or the index is unreadable (the
     *                     message says which file and why)
     */
    public static CorpusStore open(Path artifactRoot) throws IOException {
        Path dir = artifactRoot.resolve(DIRECTORY).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir.resolve(PAGES));
        } catch (IOException e) {
            throw new IOException("cannot create the corpus folder " + dir + ": " + e, e);
        }
        CorpusStore store = new CorpusStore(dir);
        store.removeTemporaryFiles();
        store.committed = store.readIndex();
        store.pending = store.readJournal();
        log.info("corpus {}: {} pages committed, {} fetched by an unfinished crawl", dir,
                store.committed.size(), store.pending.size());
        return store;
    }

    /** The {@code corpus/} folder. */
    public Path directory() {
        return dir;
    }

    /** The committed state, by page id (sorted). */
    public synchronized Map<String, PageState> committed() {
        return committed;
    }

    /**
     * States journaled by a crawl that did not commit (crashed or aborted), latest per page id;
     * only those whose page file is present.
     */
    public synchronized Map<String, PageState> pending() {
        return pending;
    }

    /** Reads the stored page with this content hash. */
    public Page readPage(String contentHash) throws IOException {
        Path file = pageFile(contentHash);
        try {
            return CorpusJson.MAPPER.readValue(file.toFile(), Page.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException("corpus page file " + file + " is missing", e);
        } catch (JsonProcessingException e) {
            throw new IOException("corpus page file " + file + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** The committed pages, in page id order. */
    public List<Page> committedPages() throws IOException {
        List<Page> pages = new ArrayList<>();
        for (PageState s : committed().values()) {
            pages.add(readPage(s.contentHash()));
        }
        return pages;
    }

    /**
     * Records one page of the crawl in progress: writes the page file when {@code page} is given
     * (and not stored already), then appends the state to the journal.
     *
     * @param page the extracted page whose hash is {@code state.contentHash()}, or null when the
     *             content is already stored (a 304)
     */
    public void record(PageState state, Page page) throws IOException {
        if (page != null) {
            Path file = pageFile(state.contentHash());
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                AtomicFiles.write(file, CorpusJson.MAPPER.writeValueAsBytes(page));
            }
        }
        byte[] line = (CorpusJson.MAPPER.writeValueAsString(state) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (journal == null) {
                // A stream, not a channel: interrupting a crawl thread must not close the journal.
                journal = new FileOutputStream(dir.resolve(JOURNAL).toFile(), true);
            }
            journal.write(line); // one write per line: a killed process leaves whole lines (or a torn last one)
            journalDirty = true;
            long now = System.nanoTime();
            if (now - lastSyncNanos >= JOURNAL_SYNC_MILLIS * 1_000_000L) {
                journal.getFD().sync();
                lastSyncNanos = now;
                journalDirty = false;
            }
        }
    }

    /**
     * Makes {@code states} the committed corpus: every state's page file must exist. Replaces the
     * index atomically, then deletes the journal and the page files no state refers to.
     */
    public synchronized void commit(Collection<PageState> states) throws IOException {
        Map<String, PageState> next = new TreeMap<>();
        for (PageState s : states) {
            if (next.put(s.id(), s) != null) {
                throw new IllegalArgumentException("page id " + s.id() + " appears twice in the commit");
            }
            if (!Files.isRegularFile(pageFile(s.contentHash()))) {
                throw new IOException("cannot commit page " + s.id() + ": its page file "
                        + pageFile(s.contentHash()) + " is missing");
            }
        }
        syncJournal();
        Index index = new Index(FORMAT, Instant.now(), next.size(), new ArrayList<>(next.values()));
        AtomicFiles.write(dir.resolve(INDEX), CorpusJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
        closeJournal();
        Files.deleteIfExists(dir.resolve(JOURNAL));
        AtomicFiles.fsyncDirectory(dir);
        committed = Collections.unmodifiableMap(next);
        pending = Map.of();
        int deleted = collectGarbage();
        log.info("corpus {}: committed {} pages, deleted {} unreferenced page files", dir, next.size(), deleted);
    }

    @Override
    public synchronized void close() throws IOException {
        syncJournal();
        closeJournal();
    }

    Path pageFile(String contentHash) {
        if (contentHash.length() < 8 || !contentHash.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("not a content hash: '" + contentHash + "'");
        }
        return pagesDir.resolve(contentHash.substring(0, 2)).resolve(contentHash + ".json");
    }

    private void syncJournal() throws IOException {
        if (journal != null && journalDirty) {
            journal.getFD().sync();
            journalDirty = false;
            lastSyncNanos = System.nanoTime();
        }
    }

    private void closeJournal() throws IOException {
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    private Map<String, PageState> readIndex() throws IOException {
        Path file = dir.resolve(INDEX);
        if (!Files.exists(file)) {
            return Map.of();
        }
        Index index;
        try {
            index = CorpusJson.MAPPER.readValue(file.toFile(), Index.class);
        } catch (JsonProcessingException e) {
            throw new IOException("corpus index " + file + " is unreadable (" + e.getOriginalMessage()
                    + "); move it away to start the corpus over", e);
        }
        if (index.format() != FORMAT) {
            throw new IOException("corpus index " + file + " has format " + index.format()
                    + ", this version reads format " + FORMAT);
        }
        Map<String, PageState> states = new TreeMap<>();
        for (PageState s : index.pages()) {
            states.put(s.id(), s);
        }
        return Collections.unmodifiableMap(states);
    }

    private Map<String, PageState> readJournal() throws IOException {
        Path file = dir.resolve(JOURNAL);
        if (!Files.exists(file)) {
            return Map.of();
        }
        Map<String, PageState> states = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int bad = 0;
        int missing = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            PageState s;
            try {
                s = CorpusJson.MAPPER.readValue(line, PageState.class);
            } catch (JsonProcessingException | RuntimeException e) {
                bad++; // a line torn by a crash mid-write
                continue;
            }
            if (!Files.isRegularFile(pageFile(s.contentHash()))) {
                missing++;
                continue;
            }
            states.put(s.id(), s);
        }
        if (bad > 0 || missing > 0) {
            log.warn("corpus journal {}: skipped {} unreadable lines and {} entries without a page file",
                    file, bad, missing);
        }
        return Collections.unmodifiableMap(states);
    }

    private void removeTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().contains(AtomicFiles.TEMP_MARK)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int collectGarbage() {
        Set<String> live = new HashSet<>();
        for (PageState s : committed.values()) {
            live.add(s.contentHash() + ".json");
        }
        int deleted = 0;
        try (Stream<Path> files = Files.walk(pagesDir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                if (!live.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
        } catch (IOException e) {
            // Leftover files cost only space; the next commit tries again.
            log.warn("corpus {}: could not delete unreferenced page files: {}", dir, e.toString());
        }
        return deleted;
    }
}
