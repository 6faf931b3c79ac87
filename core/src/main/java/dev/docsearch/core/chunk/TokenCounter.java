package dev.docsearch.core.chunk;

/** Counts tokens as the embedding model's tokenizer sees them (without special tokens). */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);

    /**
     * A tokenizer-free estimate (word pieces run ~1.3 per English word), for tests and tools that have no
     * model at hand; releases are always chunked with the model's own tokenizer.
     */
    static TokenCounter approximate() {
        return text -> {
            int words = 0;
            boolean inWord = false;
            for (int i = 0; i < text.length(); i++) {
                boolean letter = Character.isLetterOrDigit(text.charAt(i));
                if (letter && !inWord) {
                    words++;
                } else if (!letter && !Character.isWhitespace(text.charAt(i))) {
                    words++; // punctuation is a token of its own
                }
                inWord = letter;
            }
            return (int) Math.ceil(words * 1.3);
        };
    }
}
