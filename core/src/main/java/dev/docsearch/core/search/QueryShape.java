package dev.docsearch.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a query reads as, for fusion to weigh the two retrievers by: a question in the user's own words, or terms.
 *
 * <p>A {@link #QUESTION} is a query of at least {@value #MIN_WORDS} words that ends with a question mark, opens
 * with an interrogative or an auxiliary ({@code how}, {@code can}, {@code does}...) or speaks in the first or
 * second person ({@code my}, {@code we}, {@code you}...), and holds no pasted identifier. Such queries describe a
 * problem in words the docs seldom use (<em>"my function keeps getting killed after about 3 seconds"</em> for
 * Lambda's timeout), where BM25 matches the wrong words and the embedding matches the meaning.
 *
 * <p>An {@link #IDENTIFIER} is a pasted identifier ({@link QueryIdentifiers}: an error name, an IAM action, an
 * environment variable...) with at most {@value #MAX_WORDS_BESIDE_IDENTIFIERS} other words ({@code aws dynamodb
 * update-time-to-live}): the embedding knows little of such strings, BM25 finds the pages that hold them. A
 * sentence that happens to name one (a SciFact claim about {@code apoE4}) is not one.
 *
 * <p>Everything else, including long declarative statements (SciFact's claims) and keyword strings, is
 * {@link #TERMS}.
 */
public enum QueryShape {
    QUESTION,
    IDENTIFIER,
    TERMS;

    static final int MIN_WORDS = 4;
    static final int MAX_WORDS_BESIDE_IDENTIFIERS = 2;

    /** A word, with its inner apostrophes and hyphens ({@code can't}, {@code I-carnitine}, {@code sign-in}). */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['\u2019-][\\p{L}\\p{N}]+)*");

    private static final Set<String> OPENERS = Set.of("how", "what", "what's", "whats", "why", "when", "where",
            "which", "who", "can", "could", "should", "would", "will", "does", "do", "did", "is", "are", "was", "has",
            "have");

    /** First and second person, but not "I" and "us", which need a look at their context (roman one, US). */
    private static final Set<String> PERSONAL = Set.of("i'm", "im", "i've", "i'd", "i'll", "my", "me", "mine", "we",
            "we're", "we've", "our", "ours", "you", "your", "you're");

    /** Words after which "I" is the pronoun; after a noun it is more often a numeral (complex I, type I). */
    private static final Set<String> BEFORE_I = Set.of("and", "but", "so", "if", "when", "because", "then", "that",
            "can", "could", "should", "would", "will", "do", "did", "does", "how", "where", "what", "why", "until",
            "before", "after", "since", "once", "now", "which", "am", "have", "way");

    /** The shape of a query (as searched, after spelling corrections). */
    public static QueryShape of(String query) {
        return of(query, QueryIdentifiers.of(query));
    }

    /** The same, for a caller that already has the query's {@link QueryIdentifiers#of identifiers}. */
    static QueryShape of(String query, List<String> identifiers) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(query.replace('\u2019', '\''));
        while (m.find()) {
            words.add(m.group());
        }
        if (!identifiers.isEmpty()) {
            String rest = query;
            for (String id : identifiers) {
                rest = rest.replace(id, " ");
            }
            Matcher other = WORD.matcher(rest);
            int beside = 0;
            while (other.find()) {
                beside++;
            }
            return beside <= MAX_WORDS_BESIDE_IDENTIFIERS ? IDENTIFIER : TERMS;
        }
        if (words.size() < MIN_WORDS) {
            return TERMS;
        }
        boolean question = OPENERS.contains(lower(words.get(0))) || query.strip().endsWith("?");
        for (int i = 0; i < words.size() && !question; i++) {
            String w = words.get(i);
            question = switch (lower(w)) {
                case "i" -> i == 0 || BEFORE_I.contains(lower(words.get(i - 1)));
                case "us" -> w.equals("us");
                default -> PERSONAL.contains(lower(w));
            };
        }
        return question ? QUESTION : TERMS;
    }

    private static String lower(String word) {
        return word.toLowerCase(Locale.ROOT);
    }
}
