package dev.docsearch.core.embed;

import java.util.Locale;

/** How a sentence vector is made from a BERT-style model's per-token hidden states; L2-normalised after either. */
public enum Pooling {
    /** The mean over the attention mask (sentence-transformers' all-MiniLM-L6-v2, E5). */
    MEAN,
    /** The hidden state of the first token, {@code [CLS]} (BAAI bge). */
    CLS;

    /** The name in {@code model.properties}: {@code mean} or {@code cls}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pooling named {@code key} ({@code mean} or {@code cls}). */
    public static Pooling ofKey(String key) {
        for (Pooling p : values()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("pooling must be 'mean' or 'cls', got '" + key + "'");
    }
}
