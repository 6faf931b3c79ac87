package dev.docsearch.core.keyword;

/** The fields of a keyword index document: one document per chunk. */
final class KeywordFields {

    /** The chunk's ordinal in the release's chunk list, as a numeric doc value. */
    static final String ORD = "ord";
    static final String TITLE = "title";
    static final String SECTION = "section";
    static final String BODY = "body";
    /**
     * Title, headings and text as the words people type, lower-cased and unstemmed ({@link SurfaceWordsAnalyzer}):
     * the dictionary that spelling corrections are drawn from, so "Did you mean" offers words, not stems.
     */
    static final String WORDS = "words";

    private KeywordFields() {
    }
}
