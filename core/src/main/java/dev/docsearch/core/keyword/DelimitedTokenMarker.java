package dev.docsearch.core.keyword;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.KeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Marks as keywords the tokens that contain a character {@link
 * org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter} splits at, judged exactly as
 * that filter judges it (its default type table, then {@link WordDelimiterIterator#getType}). After a
 * first delimiter pass, these are the whole identifiers it preserved; marking them keeps a second
 * pass from splitting them again and stemmers from touching them.
 */
final class DelimitedTokenMarker extends KeywordMarkerFilter {

    /** WordDelimiterGraphFilter's type bit for a delimiter (WordDelimiterFilter.SUBWORD_DELIM). */
    private static final int SUBWORD_DELIM = 8;

    private static final byte[] TABLE = WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE;

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);

    DelimitedTokenMarker(TokenStream in) {
        super(in);
    }

    @Override
    protected boolean isKeyword() {
        char[] buffer = term.buffer();
        for (int i = 0; i < term.length(); i++) {
            // char by char, as the delimiter filter reads (surrogates are never delimiters there)
            char c = buffer[i];
            int type = c < TABLE.length ? TABLE[c] : WordDelimiterIterator.getType(c);
            if ((type & SUBWORD_DELIM) != 0) {
                return true;
            }
        }
        return false;
    }
}
