package dev.docsearch.core.embed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The real all-MiniLM-L6-v2 on the real ONNX Runtime. */
class EmbedderTest {

    @TempDir
    static Path artifacts;

    static ModelInfo model;
    static Embedder embedder;

    @BeforeAll
    static void open() throws IOException {
        model = new ModelStore(artifacts).install(BundledModel.ALL_MINILM_L6_V2);
        embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(4));
    }

    @AfterAll
    static void close() {
        if (embedder != null) {
            embedder.close();
        }
    }

    @Test
    void reproducesSentenceTransformersReferenceVectors() {
        assertStartsWith(embedder.embed("hello world"), -0.03448f, 0.03102f, 0.00673f, 0.02611f, -0.03936f);
        assertStartsWith(embedder.embed("This is an example sentence"), 0.06766f, 0.06350f, 0.04871f, 0.07930f, 0.03745f);
        assertThat(embedder.dimension()).isEqualTo(384);
        assertThat(embedder.model()).isEqualTo(model);
    }

    @Test
    void vectorsHaveUnitLength() {
        for (String text : List.of("hello world", "", "   ", "S3", words(400), "¿Qué es Amazon S3? 日本語 🚀")) {
            float[] v = embedder.embed(text);
            assertThat(v).hasSize(384);
            assertThat(norm(v)).as("norm of '%s'", text).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void batchResultsEqualSingleResultsWhateverThePadding() {
        List<String> texts = List.of(
                words(300), "S3", "How do I enable versioning on an S3 bucket?", words(40), "",
                "Lambda", words(150), "hello world", words(5), words(230));
        List<float[]> batched = embedder.embedAll(texts);
        assertThat(batched).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertClose(batched.get(i), embedder.embed(texts.get(i)), 1e-5, "text " + i);
        }
    }

    @Test
    void batchesSmallerThanTheInputKeepTheOrder() throws IOException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            texts.add(words(3 + (i * 37) % 120) + " item " + i);
        }
        try (Embedder small = Embedder.open(model, EmbedderOptions.defaults().withBatchSize(4).withConcurrency(1))) {
            List<float[]> vectors = small.embedAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertClose(vectors.get(i), embedder.embed(texts.get(i)), 1e-5, "text " + i);
            }
        }
    }

    @Test
    void textsLongerThanMaxTokensAreTruncatedNotRejected() {
        String longText = words(600);
        assertThat(embedder.countTokens(longText)).isEqualTo(600);
        float[] v = embedder.embed(longText);
        assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
        // Everything past token 256 is ignored: a different tail changes nothing.
        float[] otherTail = embedder.embed(longText + " glacier quantum ledger completely unrelated tail");
        assertClose(v, otherTail, 1e-6, "same first 256 tokens");
    }

    @Test
    void textsOf200TokensAreNotCutAt128LikeTheBundledTokenizerConfig() throws IOException {
        String text = words(198); // one token per word: 200 with [CLS] and [SEP]
        assertThat(embedder.countTokens(text)).isEqualTo(198);
        String first128 = words(126); // exactly what a 128-token cut keeps
        assertThat(embedder.countTokens(first128)).isEqualTo(126);

        float[] full = embedder.embed(text);
        float[] cut = embedder.embed(first128);
        assertThat(maxAbsDifference(full, cut)).as("200-token text must not be truncated at 128").isGreaterThan(1e-3);

        // The same comparison with a 128-token limit shows the cut is exactly what the trap would do.
        try (Embedder limited = Embedder.open(model, EmbedderOptions.defaults().withMaxTokens(128).withConcurrency(1))) {
            assertClose(limited.embed(text), cut, 1e-5, "truncated at 128");
            assertClose(limited.embed(first128), cut, 1e-5, "fits in 128");
        }
    }

    @Test
    void concurrentCallersGetTheSameVectors() throws Exception {
        List<String> texts = List.of("hello world", words(100), "How do I enable versioning on an S3 bucket?",
                words(250), "", "S3 Versioning keeps multiple variants of an object in the same bucket");
        List<float[]> expected = new ArrayList<>();
        for (String text : texts) {
            expected.add(embedder.embed(text));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<List<float[]>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                tasks.add(() -> {
                    List<float[]> results = new ArrayList<>();
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            results.add(embedder.embed(texts.get((i + offset) % texts.size())));
                        }
                    }
                    return results;
                });
            }
            List<Future<List<float[]>>> futures = pool.invokeAll(tasks);
            for (int t = 0; t < futures.size(); t++) {
                List<float[]> results = futures.get(t).get();
                for (int k = 0; k < results.size(); k++) {
                    assertClose(results.get(k), expected.get((k + t) % texts.size()), 1e-6, "thread " + t + " call " + k);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void relatedTextsAreCloserThanUnrelatedOnes() {
        float[] question = embedder.embed("How do I enable versioning on an S3 bucket?");
        float[] answer = embedder.embed("S3 Versioning keeps multiple variants of an object in the same bucket");
        float[] unrelated = embedder.embed("The chef seasoned the soup with fresh basil and a pinch of salt");
        assertThat(dot(question, answer)).isGreaterThan(dot(question, unrelated) + 0.2);
    }

    @Test
    void countsTokensAsTheModelSeesThem() {
        // Without the [CLS] and [SEP] the model adds, so that counts of pieces add up.
        assertThat(embedder.countTokens("hello world")).isEqualTo(2);
        assertThat(embedder.countTokens("")).isZero();
        assertThat(embedder.countTokens("S3 versioning")).isEqualTo(4); // s, ##3, version, ##ing
        assertThat(embedder.countTokens(words(1000))).isEqualTo(1000); // not truncated
        assertThat(embedder.maxTextTokens()).isEqualTo(254);
    }

    @Test
    void emptyTextIsAValidInput() {
        float[] empty = embedder.embed("");
        assertThat(norm(empty)).isCloseTo(1.0, within(1e-5));
        assertClose(embedder.embed(""), empty, 1e-6, "deterministic");
        assertThat(embedder.embedAll(List.of())).isEmpty();
    }

    @Test
    void nullInputGetsAPreciseError() {
        assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
        assertThatThrownBy(() -> embedder.embedAll(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessage("texts[1] is null");
    }

    @Test
    void aClosedEmbedderRefusesWorkAndClosesOnce() throws IOException {
        Embedder closing = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(1));
        closing.close();
        closing.close();
        assertThatThrownBy(() -> closing.embed("hello")).isInstanceOf(EmbeddingException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> closing.countTokens("hello")).isInstanceOf(EmbeddingException.class);
    }

    @Test
    void openRefusesAModelWhoseDimensionDoesNotMatchItsMetadata() {
        ModelInfo wrong = new ModelInfo(model.name(), model.sha256(), 768, model.directory(), model.encoding());
        assertThatThrownBy(() -> Embedder.open(wrong, EmbedderOptions.defaults()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("produces 384-d vectors, but its metadata says 768");
    }

    @Test
    void openRefusesADirectoryWithoutModelFiles(@TempDir Path empty) {
        ModelInfo missing = new ModelInfo(model.name(), model.sha256(), 384, empty, model.encoding());
        assertThatThrownBy(() -> Embedder.open(missing, EmbedderOptions.defaults()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("model.onnx does not exist");
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> EmbedderOptions.defaults().withMaxTokens(1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> EmbedderOptions.defaults().withBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> EmbedderOptions.defaults().withIntraOpThreads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intraOpThreads");
    }

    /** Ordinary English words, each a single word piece for this vocabulary, cycling with no sentence end. */
    static String words(int count) {
        String[] vocabulary = ("the bucket stores objects and each object has a key data can be copied to another "
                + "region when you enable replication for your account users need permission to read or write "
                + "files in that place so create a new role first").split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(vocabulary[i % vocabulary.length]);
        }
        return sb.toString();
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static void assertClose(float[] actual, float[] expected, double tolerance, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxAbsDifference(actual, expected)).as(what).isLessThanOrEqualTo(tolerance);
    }

    private static void assertStartsWith(float[] v, float... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            assertThat(v[i]).as("component %d", i).isCloseTo(prefix[i], within(1e-4f));
        }
    }
}
