package dev.docsearch.core.suggest;

import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.release.ChunkStore;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.search.suggest.Lookup;
import org.apache.lucene.search.suggest.analyzing.AnalyzingInfixSuggester;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Completions for a search box from a release's page titles and section headings, with Lucene's
 * {@link AnalyzingInfixSuggester}: every word of the typed text must start a word of the completion, in any order
 * ({@code vers buck} completes to "Using versioning in S3 buckets"), the most used first.
 *
 * <p>Built in memory from the chunk store when a release is loaded (a few hundred milliseconds for the full
 * AWS docs), so releases need no new file. Thread-safe for lookups. Holds a Lucene directory and index until
 * {@link #close()}, which the release's owner calls with the release.
 */
public final class HeadingSuggester implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeadingSuggester.class);

    /** Completions asked for at most. */
    public static final int MAX_SUGGESTIONS = 8;

    /** Where a completion comes from. */
    public enum Kind { TITLE, SECTION }

    /**
     * One completion.
     *
     * @param text the title or heading, as written
     * @param kind a page title or a section heading
     */
    public record Suggestion(String text, Kind kind) {
    }

    /** A title weighs as much as this many uses of a heading: it names a whole page. */
    private static final long TITLE_WEIGHT = 4;

    private final ByteBuffersDirectory directory;
    private final StandardAnalyzer analyzer;
    private final AnalyzingInfixSuggester suggester;
    private final Map<String, Kind> kinds;

    private HeadingSuggester(ByteBuffersDirectory directory, StandardAnalyzer analyzer,
                             AnalyzingInfixSuggester suggester, Map<String, Kind> kinds) {
        this.directory = directory;
        this.analyzer = analyzer;
        this.suggester = suggester;
        this.kinds = kinds;
    }

    /** Builds the completions of every chunk's page title and innermost heading. */
    public static HeadingSuggester build(ChunkStore chunks) throws IOException {
        return build(() -> java.util.stream.IntStream.range(0, chunks.size()).mapToObj(chunks::get).iterator());
    }

    /** Builds the completions of these chunks' page titles and innermost headings. */
    public static HeadingSuggester build(Iterable<Chunk> chunks) throws IOException {
        long start = System.nanoTime();
        // Case-insensitive identity, the first spelling kept; weight = how often it heads a chunk.
        Map<String, String> spelling = new LinkedHashMap<>();
        Map<String, Long> weight = new LinkedHashMap<>();
        Map<String, Kind> kinds = new LinkedHashMap<>();
        int count = 0;
        for (Chunk c : chunks) {
            count++;
            offer(c.title(), Kind.TITLE, TITLE_WEIGHT, spelling, weight, kinds);
            if (!c.sectionPath().isEmpty()) {
                offer(c.sectionPath().get(c.sectionPath().size() - 1), Kind.SECTION, 1, spelling, weight, kinds);
            }
        }
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        // No stop words: "how to" and "in" are typed too, and must still match.
        StandardAnalyzer analyzer = new StandardAnalyzer(CharArraySet.EMPTY_SET);
        AnalyzingInfixSuggester suggester = null;
        try {
            suggester = new AnalyzingInfixSuggester(directory, analyzer);
            Map<String, Kind> byText = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : spelling.entrySet()) {
                suggester.add(new BytesRef(e.getValue()), null, weight.get(e.getKey()), null);
                byText.put(e.getValue(), kinds.get(e.getKey()));
            }
            suggester.refresh();
            log.info("suggester built entries={} chunks={} ms={}", byText.size(), count,
                    (System.nanoTime() - start) / 1_000_000);
            return new HeadingSuggester(directory, analyzer, suggester, Map.copyOf(byText));
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(suggester, directory, analyzer);
            throw e;
        }
    }

    private static void offer(String text, Kind kind, long w, Map<String, String> spelling, Map<String, Long> weight,
                              Map<String, Kind> kinds) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 200) {
            return;
        }
        String key = t.toLowerCase(Locale.ROOT);
        spelling.putIfAbsent(key, t);
        weight.merge(key, w, Long::sum);
        kinds.merge(key, kind, (a, b) -> a == Kind.TITLE || b == Kind.TITLE ? Kind.TITLE : Kind.SECTION);
    }

    /**
     * Up to {@code n} completions of {@code prefix}, most used first; none for text with no words.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <= MAX_SUGGESTIONS}
     */
    public List<Suggestion> suggest(String prefix, int n) {
        Objects.requireNonNull(prefix, "prefix");
        if (n < 1 || n > MAX_SUGGESTIONS) {
            throw new IllegalArgumentException("n must be in 1.." + MAX_SUGGESTIONS + ", was " + n);
        }
        if (prefix.isBlank()) {
            return List.of();
        }
        List<Lookup.LookupResult> found;
        try {
            found = suggester.lookup(prefix, n, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("suggestion lookup failed", e);
        }
        List<Suggestion> out = new ArrayList<>(found.size());
        for (Lookup.LookupResult r : found) {
            String text = r.key.toString();
            out.add(new Suggestion(text, kinds.getOrDefault(text, Kind.SECTION)));
        }
        return out;
    }

    /** Titles and headings held. */
    public int size() {
        return kinds.size();
    }

    @Override
    public void close() throws IOException {
        IOUtils.close(suggester, directory, analyzer);
    }
}
