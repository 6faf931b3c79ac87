package dev.docsearch.core.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Turns text into unit-length sentence vectors with a BERT-style ONNX model (those of {@link BundledModel}):
 * Hugging Face tokenizer, one ONNX Runtime run per batch, the model's pooling ({@link TextEncoding}),
 * L2 normalisation. Cosine similarity of two vectors is their dot product. Queries ({@link #embedQuery}) and
 * passages ({@link #embed}, {@link #embedAll}) get the model's own prefixes, so callers pass plain text.
 *
 * <p><b>Thread safety.</b> All methods may be called from any number of threads. DJL predictors
 * are not thread-safe, so the embedder keeps a pool of {@link EmbedderOptions#concurrency()}
 * predictors over one shared ONNX session; a call borrows one for the duration of a run and waits
 * when all are busy. The tokenizers only read their (immutable) native state. {@link #close()}
 * waits for calls in flight, then frees the native session and tokenizers; later calls throw
 * {@link EmbeddingException}.
 *
 * <p><b>Tokens.</b> Texts longer than {@link #maxTextTokens()} tokens are truncated (the model sees
 * the first tokens only), never rejected. The tokenizer.json shipped with the model
 * truncates and pads to 128; both are overridden here. A batch is padded to its longest member,
 * and padding does not change any text's vector.
 *
 * <p><b>Empty text.</b> {@code ""} is valid: it embeds as {@code [CLS] [SEP]}, a unit vector close to
 * nothing in particular. Callers that want to refuse empty queries do so before calling.
 *
 * <p>The engine is always ONNX Runtime, chosen by name: the tokenizers jar registers a "Rust"
 * engine that would otherwise become DJL's default. DJL is kept offline: {@code ai.djl.offline} and
 * {@code OPT_OUT_TRACKING} are set (unless already set) before the first DJL call, so no usage
 * tracking or download is ever attempted; an explicit {@code DJL_OFFLINE=false} in the environment
 * takes precedence, as DJL defines, and is logged as a warning.
 */
public final class Embedder implements AutoCloseable {

    static {
        DjlOffline.ensure();
    }

    private static final Logger log = LoggerFactory.getLogger(Embedder.class);
    private static final String ENGINE = "OnnxRuntime";
    private static final Set<String> EXPECTED_INPUTS = Set.of(
            PoolingTranslator.INPUT_IDS, PoolingTranslator.ATTENTION_MASK, PoolingTranslator.TOKEN_TYPE_IDS);
    /** Texts tokenised ahead per batch in {@link #embedAll}: enough to sort by length, bounded memory. */
    private static final int BATCHES_PER_WINDOW = 8;

    private final ModelInfo model;
    private final EmbedderOptions options;
    private final int passagePrefixTokens;
    private final HuggingFaceTokenizer tokenizer;
    /** Untruncated, for counting; made on first use, since only builds count tokens (a service never does). */
    private volatile HuggingFaceTokenizer counter;
    private final Model onnx;
    private final List<Predictor<TokenBatch, float[][]>> predictors;
    private final BlockingQueue<Predictor<TokenBatch, float[][]>> idle;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private Embedder(ModelInfo model, EmbedderOptions options, HuggingFaceTokenizer tokenizer,
                     Model onnx, List<Predictor<TokenBatch, float[][]>> predictors) {
        this.model = model;
        this.options = options;
        this.tokenizer = tokenizer;
        this.onnx = onnx;
        this.predictors = List.copyOf(predictors);
        this.idle = new ArrayBlockingQueue<>(predictors.size(), false, predictors);
        String prefix = model.encoding().passage("");
        this.passagePrefixTokens = prefix.isEmpty() ? 0 : tokenizer.encode(prefix, false, false).getIds().length;
    }

    /**
     * Loads {@code model.onnx} and {@code tokenizer.json} from the model's directory with plain
     * file reads. The caller is expected to have verified the directory ({@link ModelStore}).
     *
     * @throws IOException if a file is missing or unreadable, the graph is malformed, or its
     *                     inputs or output width do not match {@code model}
     */
    public static Embedder open(ModelInfo model, EmbedderOptions options) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        DjlOffline.ensure();
        for (var file : List.of(model.modelFile(), model.tokenizerFile())) {
            if (!Files.isRegularFile(file)) {
                throw new ModelIntegrityException("model " + model.name() + ": " + file + " does not exist");
            }
        }
        long started = System.nanoTime();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(model.tokenizerFile())
                    .optMaxLength(options.maxTokens())
                    .optTruncation(true)
                    .optPadding(false) // padded per batch in TokenBatch, to its longest member
                    .build();
            opened.add(tokenizer);

            Model onnx = Model.newInstance(model.name(), Device.cpu(), ENGINE);
            opened.add(onnx);
            onnx.load(model.directory(), "model", Map.of(
                    "intraOpNumThreads", String.valueOf(options.intraOpThreads()),
                    "interOpNumThreads", "1"));
            checkInputs(model, onnx.describeInput());

            PoolingTranslator translator = new PoolingTranslator(model.encoding().pooling());
            List<Predictor<TokenBatch, float[][]>> predictors = new ArrayList<>();
            for (int i = 0; i < options.concurrency(); i++) {
                Predictor<TokenBatch, float[][]> predictor = onnx.newPredictor(translator);
                opened.add(predictor);
                predictors.add(predictor);
            }
            Embedder embedder = new Embedder(model, options, tokenizer, onnx, predictors);
            opened.clear();
            opened.add(embedder);

            int width = embedder.embed("dimension probe").length;
            if (width != model.dimension()) {
                throw new ModelIntegrityException("model " + model.name() + " in " + model.directory()
                        + " produces " + width + "-d vectors, but its metadata says " + model.dimension());
            }
            log.info("embedder opened model={} sha256={} dim={} maxTokens={} batchSize={} intraOpThreads={} "
                            + "concurrency={} loadMs={}", model.name(), model.sha256(), model.dimension(),
                    options.maxTokens(), options.batchSize(), options.intraOpThreads(), options.concurrency(),
                    (System.nanoTime() - started) / 1_000_000);
            return embedder;
        } catch (MalformedModelException | RuntimeException e) {
            closeAll(opened, e);
            throw new IOException("cannot load model " + model.name() + " from " + model.directory() + ": "
                    + e.getMessage(), e);
        } catch (IOException | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** The vector of one passage: {@link #dimension()} floats, unit length. */
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        return embedAll(List.of(text)).get(0);
    }

    /** The vector of a search query, which some models prefix differently from passages. */
    public float[] embedQuery(String query) {
        Objects.requireNonNull(query, "query");
        return embedEncoded(List.of(model.encoding().query(query))).get(0);
    }

    /**
     * The vectors of many passages, in the order given. Texts are tokenised a window at a time,
     * sorted by length so that each batch of {@link EmbedderOptions#batchSize()} carries little
     * padding, and run one ONNX call per batch on the calling thread.
     */
    public List<float[]> embedAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new NullPointerException("texts[" + i + "] is null");
            }
        }
        if (texts.isEmpty()) {
            return List.of();
        }
        TextEncoding encoding = model.encoding();
        return embedEncoded(encoding.passagePrefix().isEmpty() ? texts
                : texts.stream().map(encoding::passage).toList());
    }

    private List<float[]> embedEncoded(List<String> texts) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            float[][] vectors = new float[texts.size()][];
            int window = options.batchSize() * BATCHES_PER_WINDOW;
            for (int start = 0; start < texts.size(); start += window) {
                embedWindow(texts, start, Math.min(texts.size(), start + window), vectors);
            }
            return List.of(vectors);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Word-piece tokens of this text as the model's tokenizer cuts it, not truncated and without the
     * {@code [CLS]} and {@code [SEP]} the model adds, so counts of adjacent pieces of text add up
     * (nearly: a word split across two pieces may count differently). The model sees the whole text
     * if the count is at most {@link #maxTextTokens()}; beyond that it ignores the tail.
     */
    public int countTokens(String text) {
        Objects.requireNonNull(text, "text");
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            ensureOpen();
            return counter().encode(text, false, false).getIds().length;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The most text tokens ({@link #countTokens}) of a passage the model sees: {@code maxTokens} less [CLS], [SEP]
     * and the passage prefix.
     */
    public int maxTextTokens() {
        return options.maxTokens() - 2 - passagePrefixTokens;
    }

    /** Length of every vector this embedder returns. */
    public int dimension() {
        return model.dimension();
    }

    /** The model this embedder runs. */
    public ModelInfo model() {
        return model;
    }

    /** The options this embedder was opened with. */
    public EmbedderOptions options() {
        return options;
    }

    /** Waits for calls in flight, then releases the ONNX session, predictors and tokenizers. Idempotent. */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            List<AutoCloseable> resources = new ArrayList<>(predictors);
            resources.add(onnx);
            resources.add(tokenizer);
            if (counter != null) {
                resources.add(counter);
            }
            closeAll(resources, null);
            log.info("embedder closed model={} sha256={}", model.name(), model.sha256());
        } finally {
            lock.unlock();
        }
    }

    private void embedWindow(List<String> texts, int from, int to, float[][] vectors) {
        int n = to - from;
        Encoding[] encodings = new Encoding[n];
        for (int i = 0; i < n; i++) {
            encodings[i] = tokenizer.encode(texts.get(from + i));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
        for (int start = 0; start < n; start += options.batchSize()) {
            int end = Math.min(n, start + options.batchSize());
            List<Encoding> members = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                members.add(encodings[order[k]]);
            }
            float[][] batch = run(TokenBatch.pad(members));
            for (int k = start; k < end; k++) {
                vectors[from + order[k]] = batch[k - start];
            }
        }
    }

    private float[][] run(TokenBatch batch) {
        Predictor<TokenBatch, float[][]> predictor;
        try {
            predictor = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while waiting for a free predictor", e);
        }
        try {
            return predictor.predict(batch);
        } catch (TranslateException | RuntimeException e) {
            throw new EmbeddingException("embedding a batch of " + batch.size() + " texts of up to "
                    + batch.length() + " tokens failed: " + e.getMessage(), e);
        } finally {
            idle.add(predictor);
        }
    }

    private HuggingFaceTokenizer counter() {
        HuggingFaceTokenizer c = counter;
        if (c == null) {
            synchronized (this) {
                c = counter;
                if (c == null) {
                    try {
                        c = HuggingFaceTokenizer.builder()
                                .optTokenizerPath(model.tokenizerFile())
                                .optTruncation(false)
                                .optPadding(false)
                                .build();
                    } catch (IOException e) {
                        throw new EmbeddingException("cannot load the tokenizer of model " + model.name() + " from "
                                + model.tokenizerFile() + ": " + e.getMessage(), e);
                    }
                    counter = c;
                }
            }
        }
        return c;
    }

    private void ensureOpen() {
        if (closed) {
            throw new EmbeddingException("embedder for model " + model.name() + " is closed");
        }
    }

    private static void checkInputs(ModelInfo model, PairList<String, Shape> inputs) throws ModelIntegrityException {
        if (inputs == null || !Set.copyOf(inputs.keys()).equals(EXPECTED_INPUTS)) {
            throw new ModelIntegrityException("model " + model.name() + " in " + model.directory() + " has inputs "
                    + (inputs == null ? "unknown" : inputs.keys()) + ", expected " + EXPECTED_INPUTS);
        }
    }

    private static void closeAll(List<AutoCloseable> resources, Throwable primary) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else {
                    log.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }
}
