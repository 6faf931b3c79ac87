package dev.docsearch.core.search;

import dev.docsearch.core.keyword.KeywordIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typo tolerance for a query: its plain words that the release has never seen, replaced by the index's closest
 * word ({@link KeywordIndex#correction}). {@code bukcet versoning} becomes {@code bucket versioning}.
 *
 * <p>Only plain words are corrected: a run of letters, all lower case or capitalised, that is not part of an
 * identifier ({@link QueryIdentifiers}: {@code s3:PutObject}, {@code t3.medium}, {@code --dry-run}, camel case,
 * quoted phrases) and touches no digit or identifier punctuation ({@code x-amz}, {@code ec2}). An acronym
 * ({@code VPC}) or a pasted name is what the user meant, even when the docs do not have it.
 */
public final class QuerySpelling {

    private static final Pattern WORD = Pattern.compile("\\p{L}+");
    /** Characters that make a letter run part of a larger token rather than a word of its own. */
    private static final String JOINERS = ":._-/@$'\"*=#";
    /** Words looked up per query at most: a pasted paragraph is not a typo to fix. */
    static final int MAX_LOOKUPS = 8;
    /** Longer words are left alone (a spelling lookup's cost grows with the word). */
    static final int MAX_WORD_CHARS = 24;
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"?");

    private QuerySpelling() {
    }

    /** The query with its misspelled plain words corrected, or empty when there is nothing to correct. */
    public static Optional<String> corrected(String query, KeywordIndex index) {
        List<int[]> protectedSpans = identifierSpans(query);
        StringBuilder out = new StringBuilder(query.length());
        int last = 0;
        boolean changed = false;
        int lookups = 0;
        Matcher m = WORD.matcher(query);
        while (m.find() && lookups < MAX_LOOKUPS) {
            if (m.end() - m.start() > MAX_WORD_CHARS || !isPlainWord(query, m.start(), m.end(), protectedSpans)) {
                continue;
            }
            lookups++;
            Optional<String> fix = index.correction(m.group());
            if (fix.isPresent()) {
                out.append(query, last, m.start()).append(fix.get());
                last = m.end();
                changed = true;
            }
        }
        if (!changed) {
            return Optional.empty();
        }
        return Optional.of(out.append(query, last, query.length()).toString());
    }

    private static boolean isPlainWord(String q, int start, int end, List<int[]> protectedSpans) {
        if (touchesJoiner(q, start - 1) || touchesJoiner(q, end)) {
            return false;
        }
        for (int i = start + 1; i < end; i++) {
            if (Character.isUpperCase(q.charAt(i))) {
                return false; // an acronym or a camel-case name
            }
        }
        for (int[] span : protectedSpans) {
            if (start < span[1] && end > span[0]) {
                return false;
            }
        }
        return true;
    }

    private static boolean touchesJoiner(String q, int i) {
        if (i < 0 || i >= q.length()) {
            return false;
        }
        char c = q.charAt(i);
        return Character.isDigit(c) || JOINERS.indexOf(c) >= 0;
    }

    /** Where the query's identifiers occur, as [start, end) pairs. */
    private static List<int[]> identifierSpans(String q) {
        List<int[]> spans = new ArrayList<>();
        for (String id : QueryIdentifiers.of(q)) {
            for (int at = q.indexOf(id); at >= 0; at = q.indexOf(id, at + 1)) {
                spans.add(new int[] {at, at + id.length()});
            }
        }
        // A quoted phrase is an identifier even when QueryIdentifiers drops it as a product name.
        Matcher quoted = QUOTED.matcher(q);
        while (quoted.find()) {
            spans.add(new int[] {quoted.start(), quoted.end()});
        }
        return spans;
    }
}
