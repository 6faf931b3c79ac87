package dev.docsearch.core.cache;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.Pooling;
import dev.docsearch.core.embed.TextEncoding;
import dev.docsearch.core.fixture.Corruption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingCacheTest {

    private static final String SHA = "ab".repeat(32);

    private static ModelInfo model(TextEncoding encoding) {
        return new ModelInfo("test-model", SHA, 3, Path.of("models", "test-model", SHA), encoding);
    }

    @Test
    void flushedVectorsSurviveReopeningAndUnflushedOnesDoNot(@TempDir Path root) throws IOException {
        ModelInfo model = model(TextEncoding.PLAIN_MEAN);
        EmbeddingCache cache = flushedWith(root, model, "kept", new float[] {0.6f, 0.8f, 0});
        cache.put(EmbeddingCache.key("lost"), new float[] {1, 0, 0});

        EmbeddingCache reopened = EmbeddingCache.open(root, model);

        assertThat(reopened.size()).isEqualTo(1);
        assertThat(reopened.get(EmbeddingCache.key("kept"))).containsExactly(0.6f, 0.8f, 0);
        assertThat(reopened.get(EmbeddingCache.key("lost"))).isNull();
    }

    @Test
    void aDamagedSegmentIsSkippedNotFatal(@TempDir Path root) throws IOException {
        ModelInfo model = model(TextEncoding.PLAIN_MEAN);
        flushedWith(root, model, "a", new float[] {1, 0, 0});
        Corruption.flipByte(onlySegment(root, model), 0);

        assertThat(EmbeddingCache.open(root, model).size()).isZero();
    }

    @Test
    void aPlainMeanPooledModelKeepsTheDirectoryNamedByItsSha256() {
        assertThat(EmbeddingCache.directoryName(model(TextEncoding.PLAIN_MEAN))).isEqualTo(SHA);
    }

    @Test
    void theSameGraphRunAnotherWayNeverSeesTheOtherWaysVectors(@TempDir Path root) throws IOException {
        ModelInfo plain = model(TextEncoding.PLAIN_MEAN);
        ModelInfo cls = model(new TextEncoding(Pooling.CLS, "", ""));
        ModelInfo prefixed = model(new TextEncoding(Pooling.MEAN, "", "passage:"));
        ModelInfo queryPrefixOnly = model(new TextEncoding(Pooling.MEAN, "query:", ""));
        flushedWith(root, plain, "text", new float[] {1, 0, 0});

        assertThat(List.of(EmbeddingCache.directoryName(cls), EmbeddingCache.directoryName(prefixed)))
                .doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).startsWith(SHA + "-").isNotEqualTo(SHA));
        assertThat(EmbeddingCache.open(root, cls).get(EmbeddingCache.key("text"))).isNull();
        assertThat(EmbeddingCache.open(root, prefixed).get(EmbeddingCache.key("text"))).isNull();
        // The cache holds passages: a query prefix does not change them.
        assertThat(EmbeddingCache.open(root, queryPrefixOnly).get(EmbeddingCache.key("text")))
                .containsExactly(1, 0, 0);
    }

    /** The model's cache under {@code root} after one vector was put and flushed. */
    private static EmbeddingCache flushedWith(Path root, ModelInfo model, String text, float[] vector)
            throws IOException {
        EmbeddingCache cache = EmbeddingCache.open(root, model);
        cache.put(EmbeddingCache.key(text), vector);
        cache.flush();
        return cache;
    }

    private static Path onlySegment(Path root, ModelInfo model) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("cache/embeddings").resolve(EmbeddingCache.directoryName(model)))) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().startsWith("seg-")).toList();
            assertThat(segments).hasSize(1);
            return segments.get(0);
        }
    }
}
