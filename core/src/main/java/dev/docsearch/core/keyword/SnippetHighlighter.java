package dev.docsearch.core.keyword;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.BreakIterator;
import java.util.Locale;
import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.LengthGoalBreakIterator;
import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;

/**
 * Cuts an HTML-safe snippet from a chunk's text: the best-matching passage of about
 * {@value #TARGET_CHARS} characters, with the query's terms wrapped in {@code <mark>…</mark>} and
 * everything else HTML-escaped. Terms match as they do in search (same analysis), so
 * {@code PutObject} marks the {@code PutObject} in {@code s3:PutObject}.
 *
 * <p>Thread-safe; build one and share it.
 */
public final class SnippetHighlighter implements AutoCloseable {

    /** The length a snippet aims at; it ends on word boundaries, so it is seldom exact. */
    public static final int TARGET_CHARS = 240;

    /** Text past this many characters is not searched for a passage (chunks are far shorter). */
    static final int MAX_TEXT_CHARS = 100_000;

    private static final String ELLIPSIS = "\u2026";

    private final Analyzer analyzer;
    private final UnifiedHighlighter highlighter;

    public SnippetHighlighter() {
        this.analyzer = new AwsDocsAnalyzer();
        this.highlighter = UnifiedHighlighter.builderWithoutSearcher(analyzer)
                // Word boundaries rather than sentences: AWS pages hold long lists and code lines
                // with no sentence end, which would make snippets of any length.
                .withBreakIterator(() -> LengthGoalBreakIterator.createClosestToLength(
                        BreakIterator.getWordInstance(Locale.ROOT), TARGET_CHARS, 0.4f))
                .withFormatter(new EllipsisFormatter())
                .withMaxLength(MAX_TEXT_CHARS)
                .withMaxNoHighlightPassages(1)
                // Our queries are plain terms: re-analysing the text as a token stream finds the same passages
                // as a per-text MemoryIndex (the relevancy-first default) at a fraction of the cost, which was a
                // third of a search's CPU in the service (10 snippets per query).
                .withPassageRelevancyOverSpeed(false)
                .withWeightMatches(false)
                .build();
    }

    /**
     * The snippet for {@code text} under {@code userQuery}, as HTML. When no query term occurs in
     * the text, it is the text's opening words, escaped and unmarked.
     */
    public String snippet(String userQuery, String text) {
        Objects.requireNonNull(userQuery, "userQuery");
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return "";
        }
        QueryTerms terms = QueryTerms.of(analyzer, userQuery);
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String term : terms.terms()) {
            query.add(new TermQuery(new Term(KeywordFields.BODY, term)), BooleanClause.Occur.SHOULD);
        }
        Object snippet;
        try {
            snippet = highlighter.highlightWithoutSearcher(KeywordFields.BODY, query.build(), text, 1);
        } catch (IOException e) {
            throw new UncheckedIOException("highlighting failed", e);
        }
        return snippet == null ? "" : snippet.toString();
    }

    @Override
    public void close() {
        analyzer.close();
    }

    /**
     * Lucene's escaping formatter, plus an ellipsis where the passage starts or ends inside the
     * text, and whitespace collapsed (line breaks in a chunk mean nothing in a one-line snippet).
     */
    private static final class EllipsisFormatter extends PassageFormatter {
        private final DefaultPassageFormatter escaping =
                new DefaultPassageFormatter("<mark>", "</mark>", ELLIPSIS, true);

        @Override
        public String format(Passage[] passages, String content) {
            String html = escaping.format(passages, content)
                    .replace("</mark><mark>", "") // PutObject, not Put and Object marked apart
                    .strip()
                    .replaceAll("\\s+", " ");
            if (passages.length == 0 || html.isEmpty()) {
                return html;
            }
            boolean textBefore = !isBlank(content, 0, passages[0].getStartOffset());
            boolean textAfter = !isBlank(content, passages[passages.length - 1].getEndOffset(), content.length());
            return (textBefore ? ELLIPSIS : "") + html + (textAfter ? ELLIPSIS : "");
        }

        private static boolean isBlank(String s, int from, int to) {
            for (int i = Math.max(0, from); i < Math.min(to, s.length()); i++) {
                if (!Character.isWhitespace(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
