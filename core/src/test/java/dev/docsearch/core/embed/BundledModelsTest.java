package dev.docsearch.core.embed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every bundled model installs from its carrier jar and runs on the real ONNX Runtime with its own encoding. */
class BundledModelsTest {

    private static final String QUERY = "how do I get rid of an S3 bucket I no longer need";
    private static final String ANSWER = "To delete a bucket, first empty it of objects, then choose Delete bucket "
            + "in the Amazon S3 console.";
    private static final String OTHER = "AWS Lambda runs your function code in response to events and scales with "
            + "the number of requests.";

    @TempDir
    static Path root;

    static List<BundledModel> models() {
        return BundledModel.ALL;
    }

    @ParameterizedTest
    @MethodSource("models")
    void installsRunsAndRanksTheAnsweringPassageFirst(BundledModel bundled) throws IOException {
        ModelInfo model = new ModelStore(root).install(bundled);
        assertThat(model.encoding()).isEqualTo(bundled.encoding());
        try (Embedder embedder = Embedder.open(model, EmbedderOptions.defaults().withConcurrency(1))) {
            float[] query = embedder.embedQuery(QUERY);
            List<float[]> passages = embedder.embedAll(List.of(ANSWER, OTHER));
            assertThat(query).hasSize(bundled.dimension());
            for (float[] v : List.of(query, passages.get(0), passages.get(1))) {
                assertThat(dot(v, v)).isCloseTo(1.0, within(1e-4));
            }
            assertThat(dot(query, passages.get(0))).as(bundled.name()).isGreaterThan(dot(query, passages.get(1)) + 0.05);

            // By default every text runs alone, so its vector is the same whatever it is embedded with.
            assertThat(passages.get(0)).containsExactly(embedder.embed(ANSWER));
            boolean prefixed = !bundled.encoding().queryPrefix().equals(bundled.encoding().passagePrefix());
            double sameText = dot(embedder.embedQuery(ANSWER), embedder.embed(ANSWER));
            if (prefixed) {
                assertThat(sameText).as("a query gets the query prefix, a passage the passage prefix")
                        .isBetween(0.7, 0.999);
            } else {
                assertThat(sameText).isCloseTo(1.0, within(1e-6));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void aBatchedTextKeepsNearlyTheVectorItHasAlone(BundledModel bundled) throws IOException {
        ModelInfo model = new ModelStore(root).install(bundled);
        try (Embedder batched = Embedder.open(model, EmbedderOptions.defaults().withBatchSize(2).withConcurrency(1))) {
            // Int8 graphs quantise activations per run (with the run's own range), so a text's vector moves a little
            // with the padding of its batch: cosine 0.995 here, where full precision gives 1 - 1e-7.
            float[] inBatch = batched.embedAll(List.of(ANSWER, OTHER)).get(0);
            assertThat(dot(batched.embed(ANSWER), inBatch)).as(bundled.name()).isCloseTo(1.0, within(0.01));
        }
    }

    @Test
    void aPassagePrefixIsEmbeddedWithEveryPassageAndLeavesLessRoomForText() throws IOException {
        EmbedderOptions options = EmbedderOptions.defaults().withConcurrency(1);
        ModelInfo plain = new ModelStore(root).install(BundledModel.ALL_MINILM_L6_V2_Q);
        ModelInfo prefixed = new ModelInfo(plain.name(), plain.sha256(), plain.dimension(), plain.directory(),
                new TextEncoding(Pooling.MEAN, "query:", "passage:"));
        try (Embedder withPrefix = Embedder.open(prefixed, options);
             Embedder without = Embedder.open(plain, options)) {
            assertThat(without.maxTextTokens()).isEqualTo(options.maxTokens() - 2);
            assertThat(without.countTokens("passage:")).isEqualTo(2);
            assertThat(withPrefix.maxTextTokens()).isEqualTo(options.maxTokens() - 4);
            assertThat(withPrefix.embed(ANSWER)).containsExactly(without.embed("passage: " + ANSWER));
            assertThat(withPrefix.embedAll(List.of(OTHER)).get(0)).containsExactly(without.embed("passage: " + OTHER));
            assertThat(withPrefix.embedQuery(QUERY)).containsExactly(without.embed("query: " + QUERY));
        }
    }

    @Test
    void theQuantisedMiniLmAgreesWithTheFullPrecisionOne() throws IOException {
        EmbedderOptions options = EmbedderOptions.defaults().withConcurrency(1);
        try (Embedder full = Embedder.open(new ModelStore(root).install(BundledModel.ALL_MINILM_L6_V2), options);
             Embedder int8 = Embedder.open(new ModelStore(root).install(BundledModel.ALL_MINILM_L6_V2_Q), options)) {
            for (String text : List.of(QUERY, ANSWER, OTHER)) {
                assertThat(dot(full.embed(text), int8.embed(text))).as(text).isGreaterThan(0.9);
            }
        }
    }

    @Test
    void namesAreLookedUpAndUnknownOnesListTheBundledModels() {
        assertThat(BundledModel.named("bge-small-en-v1.5-q")).isSameAs(BundledModel.BGE_SMALL_EN_V15_Q);
        assertThat(BundledModel.ALL).contains(BundledModel.DEFAULT);
        assertThat(BundledModel.DEFAULT.name()).isEqualTo(BundledModel.DEFAULT_NAME);
        assertThatThrownBy(() -> BundledModel.named("bert-large"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown model 'bert-large' (bundled: " + BundledModel.names() + ")")
                .hasMessageContaining("bge-small-en-v1.5-q");
    }

    @Test
    void encodingsJoinPrefixesWithOneSpaceAndRefuseStraySpaces() {
        TextEncoding e5 = new TextEncoding(Pooling.MEAN, "query:", "passage:");
        assertThat(e5.query("what is S3")).isEqualTo("query: what is S3");
        assertThat(e5.passage("S3 stores objects")).isEqualTo("passage: S3 stores objects");
        assertThat(TextEncoding.PLAIN_MEAN.query("what is S3")).isEqualTo("what is S3");
        assertThatThrownBy(() -> new TextEncoding(Pooling.MEAN, "query: ", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrounding spaces");
        assertThat(Pooling.ofKey("cls")).isEqualTo(Pooling.CLS);
        assertThatThrownBy(() -> Pooling.ofKey("max")).hasMessageContaining("'mean' or 'cls'");
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
