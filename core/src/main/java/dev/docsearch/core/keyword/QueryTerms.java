package dev.docsearch.core.keyword;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The distinct terms of a user's free-text query after analysis, in order of first occurrence;
 * what keyword queries and highlights are built from. Lucene query syntax means nothing here:
 * {@code title:x AND (} is just the words {@code title}, {@code x} and {@code and}.
 *
 * @param terms distinct analysed terms, at most {@link #MAX_TERMS}
 */
record QueryTerms(List<String> terms) {

    /**
     * At most this many distinct terms are kept, so a pasted page cannot make a query of thousands
     * of clauses (Lucene allows 1024 in all; each term here is one clause over three fields).
     */
    static final int MAX_TERMS = 64;

    /** Only this much of a query is analysed; 64 distinct terms are long reached by then. */
    static final int MAX_QUERY_CHARS = 4096;

    QueryTerms {
        terms = List.copyOf(terms);
    }

    /** Analyses {@code text}; never fails on any string, and gives no terms when none are left. */
    static QueryTerms of(Analyzer analyzer, String text) {
        Objects.requireNonNull(text, "query text");
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(KeywordFields.BODY, truncate(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < MAX_TERMS) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            // Reading a String cannot fail; an analyzer that does is a bug worth surfacing.
            throw new UncheckedIOException("analysing a query failed", e);
        }
        return new QueryTerms(new ArrayList<>(terms));
    }

    boolean isEmpty() {
        return terms.isEmpty();
    }

    private static String truncate(String text) {
        if (text.length() <= MAX_QUERY_CHARS) {
            return text;
        }
        int end = MAX_QUERY_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a code point in half
        }
        return text.substring(0, end);
    }
}
