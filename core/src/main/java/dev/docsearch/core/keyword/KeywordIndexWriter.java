package dev.docsearch.core.keyword;

import dev.docsearch.core.model.Chunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the keyword (BM25) index of a release: one Lucene document per chunk, added in ordinal
 * order, force-merged into a single segment on {@link #close()} because a release is never
 * written again.
 *
 * <p>Not thread-safe: one thread adds the chunks.
 */
public final class KeywordIndexWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeywordIndexWriter.class);

    /**
     * Text fields keep documents and frequencies only: BM25 needs nothing more, no query here is
     * positional, and snippets re-analyse the chunk text. A release is rebuilt whole, so adding
     * positions later costs no migration.
     */
    static final FieldType TEXT = textFieldType(IndexOptions.DOCS_AND_FREQS);

    /** The spelling dictionary needs only which words occur where (document frequency ranks corrections). */
    static final FieldType WORDS = textFieldType(IndexOptions.DOCS);

    private final Path dir;
    private final Analyzer analyzer;
    private final Directory directory;
    private final IndexWriter writer;
    private final long startNanos = System.nanoTime();
    private int lastOrdinal = -1;
    private int count;
    private boolean closed;

    /**
     * Starts an index in {@code dir}, which must not exist or be an empty directory.
     *
     * @throws IOException if {@code dir} holds files already or cannot be created
     */
    public KeywordIndexWriter(Path dir) throws IOException {
        this.dir = Objects.requireNonNull(dir, "dir");
        requireEmptyOrAbsent(dir);
        Files.createDirectories(dir);
        this.analyzer = new PerFieldAnalyzerWrapper(new AwsDocsAnalyzer(),
                Map.of(KeywordFields.WORDS, new SurfaceWordsAnalyzer()));
        this.directory = FSDirectory.open(dir);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setSimilarity(KeywordQuery.SIMILARITY)
                .setRAMBufferSizeMB(64)
                .setCommitOnClose(false);
        IndexWriter w;
        try {
            w = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(directory, analyzer);
            throw e;
        }
        this.writer = w;
    }

    /**
     * Adds a chunk. Ordinals must increase from call to call (they are positions in the release's
     * chunk list, so normally 0, 1, 2, ...).
     *
     * @throws IllegalArgumentException if {@code ordinal} is negative or not above the previous one
     * @throws IllegalStateException    if the writer is closed
     */
    public void add(int ordinal, Chunk chunk) throws IOException {
        Objects.requireNonNull(chunk, "chunk");
        if (closed) {
            throw new IllegalStateException("keyword index writer for " + dir + " is closed");
        }
        if (ordinal < 0 || ordinal <= lastOrdinal) {
            throw new IllegalArgumentException("chunk ordinal " + ordinal + " for " + chunk.id()
                    + " must be >= 0 and greater than the previous ordinal " + lastOrdinal);
        }
        Document doc = new Document();
        doc.add(new NumericDocValuesField(KeywordFields.ORD, ordinal));
        doc.add(new Field(KeywordFields.TITLE, chunk.title(), TEXT));
        doc.add(new Field(KeywordFields.SECTION, chunk.section(), TEXT));
        doc.add(new Field(KeywordFields.BODY, chunk.text(), TEXT));
        doc.add(new Field(KeywordFields.WORDS, chunk.title(), WORDS));
        doc.add(new Field(KeywordFields.WORDS, chunk.section(), WORDS));
        doc.add(new Field(KeywordFields.WORDS, chunk.text(), WORDS));
        writer.addDocument(doc);
        lastOrdinal = ordinal;
        count++;
    }

    /** Merges to one segment, commits and closes; the index is complete only after this returns. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean success = false;
        try {
            writer.forceMerge(1);
            writer.commit();
            success = true;
        } finally {
            if (success) {
                IOUtils.close(writer, directory, analyzer);
            } else {
                IOUtils.closeWhileHandlingException(writer, directory, analyzer);
            }
        }
        LOG.info("keyword index written: {} chunks, {} KiB, {} ms, dir={}", count, sizeKiB(dir),
                (System.nanoTime() - startNanos) / 1_000_000, dir);
    }

    private static void requireEmptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("keyword index path is not a directory: " + dir);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IOException("keyword index directory is not empty: " + dir
                        + " (a release's index is written once, into a new directory)");
            }
        }
    }

    private static long sizeKiB(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long bytes = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                bytes += Files.size(p);
            }
            return bytes / 1024;
        }
    }

    private static FieldType textFieldType(IndexOptions options) {
        FieldType type = new FieldType();
        type.setTokenized(true);
        type.setStored(false);
        type.setIndexOptions(options);
        type.freeze();
        return type;
    }
}
