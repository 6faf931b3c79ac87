package dev.docsearch.core.keyword;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;

/**
 * Words as people type them, for the spelling dictionary: runs of letters, lower-cased and ASCII-folded, with no
 * stemming and no stop words, so a correction is a word a reader recognises ({@code versioning}, not the stem
 * {@code version}). Identifiers fall apart into their letter runs here ({@code s3:PutObject} gives {@code s},
 * {@code putobject}); the query side never offers identifiers for correction, so that costs nothing.
 *
 * <p>Thread-safe, like every Lucene analyzer.
 */
final class SurfaceWordsAnalyzer extends Analyzer {

    /** Longer runs are not words a reader would misspell (hashes, base64). */
    static final int MAX_WORD_CHARS = 40;

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new LetterTokenizer();
        TokenStream stream = new LengthFilter(tokenizer, 2, MAX_WORD_CHARS);
        stream = new LowerCaseFilter(stream);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
    }
}
