package dev.docsearch.core.embed;

import java.util.Objects;

/**
 * How texts go into a model and vectors come out, as the model's authors trained it: the pooling, and the
 * instructions put before queries and passages (E5's {@code query:}/{@code passage:}, bge's retrieval
 * instruction for queries). A model run another way still returns vectors, just worse ones, so this travels
 * with the model ({@code model.properties}) rather than with whoever calls it.
 *
 * @param pooling       how token states become one vector
 * @param queryPrefix   put before every query with one space, or {@code ""} for none
 * @param passagePrefix put before every passage with one space, or {@code ""} for none
 */
public record TextEncoding(Pooling pooling, String queryPrefix, String passagePrefix) {

    /** Mean pooling, no prefixes (sentence-transformers all-MiniLM-L6-v2). */
    public static final TextEncoding PLAIN_MEAN = new TextEncoding(Pooling.MEAN, "", "");

    public TextEncoding {
        Objects.requireNonNull(pooling, "pooling");
        queryPrefix = checkPrefix("queryPrefix", queryPrefix);
        passagePrefix = checkPrefix("passagePrefix", passagePrefix);
    }

    /** The text the model sees for this query. */
    public String query(String text) {
        return join(queryPrefix, text);
    }

    /** The text the model sees for this passage. */
    public String passage(String text) {
        return join(passagePrefix, text);
    }

    private static String join(String prefix, String text) {
        return prefix.isEmpty() ? text : prefix + " " + text;
    }

    private static String checkPrefix(String field, String prefix) {
        Objects.requireNonNull(prefix, field);
        if (!prefix.equals(prefix.strip()) || prefix.contains("\n")) {
            throw new IllegalArgumentException(field + " must be one line without surrounding spaces, got '"
                    + prefix + "'");
        }
        return prefix;
    }
}
