package dev.docsearch.core.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Feeds a pre-padded {@link TokenBatch} to the ONNX graph in one run, then pools {@code last_hidden_state}
 * ({@link Pooling}) and L2-normalises, as sentence-transformers does for the model. Pooling is plain Java:
 * ONNX Runtime's NDArray supports few operators, and the copy out is small next to the model run.
 *
 * <p>Immutable, so one instance serves every predictor.
 */
final class PoolingTranslator implements NoBatchifyTranslator<TokenBatch, float[][]> {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String HIDDEN_STATE = "last_hidden_state";
    private static final String BATCH = "batch";

    private final Pooling pooling;

    PoolingTranslator(Pooling pooling) {
        this.pooling = pooling;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(batch.size(), batch.length());
        ctx.setAttachment(BATCH, batch);
        return new NDList(
                named(manager.create(LongBuffer.wrap(batch.inputIds()), shape, DataType.INT64), INPUT_IDS),
                named(manager.create(LongBuffer.wrap(batch.attentionMask()), shape, DataType.INT64), ATTENTION_MASK),
                named(manager.create(LongBuffer.wrap(batch.tokenTypeIds()), shape, DataType.INT64), TOKEN_TYPE_IDS));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
        TokenBatch batch = (TokenBatch) ctx.getAttachment(BATCH);
        NDArray hidden = outputs.get(HIDDEN_STATE);
        if (hidden == null) {
            hidden = outputs.head();
        }
        Shape shape = hidden.getShape();
        if (shape.dimension() != 3 || shape.get(0) != batch.size() || shape.get(1) != batch.length()) {
            throw new IllegalStateException("model output " + hidden.getName() + " has shape " + shape
                    + ", expected [" + batch.size() + ", " + batch.length() + ", dim]");
        }
        int dim = (int) shape.get(2);
        float[] states = hidden.toFloatArray();
        return pooling == Pooling.CLS ? first(states, batch, dim) : mean(states, batch, dim);
    }

    /** Each row's first token, {@code [CLS]}, normalised. */
    static float[][] first(float[] hidden, TokenBatch batch, int dim) {
        float[][] vectors = new float[batch.size()][];
        double[] state = new double[dim];
        for (int row = 0; row < batch.size(); row++) {
            int base = row * batch.length() * dim;
            for (int d = 0; d < dim; d++) {
                state[d] = hidden[base + d];
            }
            vectors[row] = normalised(state);
        }
        return vectors;
    }

    static float[][] mean(float[] hidden, TokenBatch batch, int dim) {
        int length = batch.length();
        long[] mask = batch.attentionMask();
        float[][] vectors = new float[batch.size()][];
        double[] sum = new double[dim];
        for (int row = 0; row < batch.size(); row++) {
            Arrays.fill(sum, 0);
            int tokens = 0;
            for (int t = 0; t < length; t++) {
                if (mask[row * length + t] == 0) {
                    continue;
                }
                tokens++;
                int base = (row * length + t) * dim;
                for (int d = 0; d < dim; d++) {
                    sum[d] += hidden[base + d];
                }
            }
            // sentence-transformers clamps the token count at 1e-9.
            double count = Math.max(tokens, 1e-9);
            for (int d = 0; d < dim; d++) {
                sum[d] /= count;
            }
            vectors[row] = normalised(sum);
        }
        return vectors;
    }

    private static float[] normalised(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.max(Math.sqrt(norm), 1e-12); // sentence-transformers' clamp
        float[] out = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            out[d] = (float) (v[d] / norm);
        }
        return out;
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }
}
