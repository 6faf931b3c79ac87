package dev.docsearch.core.keyword;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A release's keyword (BM25F) index, opened read-only and memory-mapped.
 *
 * <p>Thread-safe: any number of threads may search at once. It must not be closed while a search
 * runs; whoever swaps releases keeps it open until its last search is done.
 */
public final class KeywordIndex implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(KeywordIndex.class);

    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    /** Lucene doc id -> chunk ordinal, read once from the {@code ord} doc values. */
    private final int[] ordinals;
    private final Analyzer analyzer = new AwsDocsAnalyzer();
    private final Analyzer surfaceWords = new SurfaceWordsAnalyzer();
    /**
     * One typo from {@value #ONE_EDIT_CHARS} letters, two from {@value #TWO_EDITS_CHARS} (Meilisearch's rule; a
     * transposition is one edit). Shorter words are left alone: at four letters every edit is another word.
     */
    private final DirectSpellChecker oneEdit = spellChecker(1);
    private final DirectSpellChecker twoEdits = spellChecker(2);

    static final int ONE_EDIT_CHARS = 5;
    static final int TWO_EDITS_CHARS = 9;

    private KeywordIndex(Directory directory, DirectoryReader reader, int[] ordinals) {
        this.directory = directory;
        this.reader = reader;
        this.ordinals = ordinals;
        this.searcher = new IndexSearcher(reader);
        this.searcher.setSimilarity(KeywordQuery.SIMILARITY);
        // Every query here is scored; caching filter bit sets would only cost memory.
        this.searcher.setQueryCache(null);
    }

    /**
     * Opens the index that a {@link KeywordIndexWriter} wrote into {@code dir}.
     *
     * @throws IOException if {@code dir} holds no index, or one without chunk ordinals
     */
    public static KeywordIndex open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new IOException("no keyword index: " + dir + " is not a directory");
        }
        long start = System.nanoTime();
        Directory directory = new MMapDirectory(dir);
        DirectoryReader reader = null;
        try {
            reader = DirectoryReader.open(directory);
            KeywordIndex index = new KeywordIndex(directory, reader, readOrdinals(reader, dir));
            LOG.info("keyword index opened: {} chunks, {} segment(s), {} ms, dir={}", index.size(),
                    reader.leaves().size(), (System.nanoTime() - start) / 1_000_000, dir);
            return index;
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(reader, directory);
            throw e;
        }
    }

    /**
     * The best {@code n} chunks for a free-text query, best first. Any string is a valid query:
     * Lucene syntax has no meaning in it, and a query with no searchable words finds nothing.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public List<KeywordHit> search(String userQuery, int n) {
        Objects.requireNonNull(userQuery, "userQuery");
        if (n < 1) {
            throw new IllegalArgumentException("number of hits must be >= 1, was " + n);
        }
        QueryTerms terms = QueryTerms.of(analyzer, userQuery);
        if (terms.isEmpty()) {
            return List.of();
        }
        TopDocs top;
        try {
            top = searcher.search(KeywordQuery.of(terms), n);
        } catch (IOException e) {
            throw new UncheckedIOException("keyword search failed for a query of "
                    + terms.terms().size() + " terms", e);
        }
        List<KeywordHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            hits.add(new KeywordHit(ordinals[sd.doc], sd.score));
        }
        return hits;
    }

    /**
     * The word of the release's text closest to {@code word}, when {@code word} itself occurs nowhere in it (title,
     * headings or text): Lucene's {@link DirectSpellChecker} over the unstemmed {@code words} field, the closest
     * by edit distance first, then the most frequent. Empty when the word is known, too short to correct, or
     * has no near neighbour; always empty for an index written before that field existed. The caller decides
     * what is a word: identifiers must never be passed here.
     */
    public Optional<String> correction(String word) {
        Objects.requireNonNull(word, "word");
        String w = surfaceWords.normalize(KeywordFields.WORDS, word).utf8ToString();
        int letters = w.codePointCount(0, w.length());
        if (letters < ONE_EDIT_CHARS || letters > SurfaceWordsAnalyzer.MAX_WORD_CHARS) {
            return Optional.empty();
        }
        Term term = new Term(KeywordFields.WORDS, w);
        try {
            if (reader.docFreq(term) > 0 || knownAsStem(word)) {
                return Optional.empty();
            }
            DirectSpellChecker checker = letters >= TWO_EDITS_CHARS ? twoEdits : oneEdit;
            SuggestWord[] best = checker.suggestSimilar(term, 1, reader, SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
            return best.length == 0 ? Optional.empty() : Optional.of(best[0].string);
        } catch (IOException e) {
            throw new UncheckedIOException("spelling lookup failed for a word of " + letters + " letters", e);
        }
    }

    /**
     * Whether the word's stem occurs in the release: then it is another form of a word the docs use
     * ({@code disposed} beside {@code disposal}, {@code appreciably} beside {@code appreciable}), not a typo.
     * Measured on the 300 SciFact test queries: 15 corrected without this check, 5 of them wrongly
     * ({@code disposed -> dispose}); with it 10, of which 9 are real typos ({@code matasteses -> metastases})
     * and one is not ({@code adept -> adopt}).
     */
    private boolean knownAsStem(String word) throws IOException {
        for (String stem : QueryTerms.of(analyzer, word).terms()) {
            for (String field : new String[] {KeywordFields.BODY, KeywordFields.TITLE, KeywordFields.SECTION}) {
                if (reader.docFreq(new Term(field, stem)) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static DirectSpellChecker spellChecker(int maxEdits) {
        DirectSpellChecker checker = new DirectSpellChecker();
        checker.setMaxEdits(maxEdits);
        checker.setMinQueryLength(ONE_EDIT_CHARS);
        return checker;
    }

    /** The number of chunks in the index. */
    public int size() {
        return ordinals.length;
    }

    @Override
    public void close() throws IOException {
        IOUtils.close(reader, directory, analyzer, surfaceWords);
    }

    private static int[] readOrdinals(DirectoryReader reader, Path dir) throws IOException {
        int[] ordinals = new int[reader.maxDoc()];
        for (LeafReaderContext leaf : reader.leaves()) {
            NumericDocValues values = leaf.reader().getNumericDocValues(KeywordFields.ORD);
            int maxDoc = leaf.reader().maxDoc();
            for (int doc = 0; doc < maxDoc; doc++) {
                if (values == null || !values.advanceExact(doc)) {
                    throw new IOException("not a docsearch keyword index: document " + (leaf.docBase + doc)
                            + " has no '" + KeywordFields.ORD + "' value in " + dir);
                }
                ordinals[leaf.docBase + doc] = Math.toIntExact(values.longValue());
            }
        }
        return ordinals;
    }
}
