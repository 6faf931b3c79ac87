package dev.docsearch.core.embed;

import ai.djl.huggingface.tokenizers.Encoding;

import java.util.List;

/**
 * Tokenised texts padded to the longest among them, as row-major {@code [size, length]} arrays:
 * the three inputs of a BERT-style ONNX graph.
 */
record TokenBatch(int size, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {

    /** Pads with id 0 ({@code [PAD]}), mask 0 and type 0; the mask keeps padding out of the pooling. */
    static TokenBatch pad(List<Encoding> encodings) {
        int size = encodings.size();
        int length = 0;
        for (Encoding e : encodings) {
            length = Math.max(length, e.getIds().length);
        }
        long[] ids = new long[size * length];
        long[] mask = new long[size * length];
        long[] types = new long[size * length];
        for (int row = 0; row < size; row++) {
            Encoding e = encodings.get(row);
            int offset = row * length;
            long[] rowIds = e.getIds();
            System.arraycopy(rowIds, 0, ids, offset, rowIds.length);
            System.arraycopy(e.getAttentionMask(), 0, mask, offset, rowIds.length);
            System.arraycopy(e.getTypeIds(), 0, types, offset, rowIds.length);
        }
        return new TokenBatch(size, length, ids, mask, types);
    }
}
