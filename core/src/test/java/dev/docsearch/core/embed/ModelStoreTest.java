package dev.docsearch.core.embed;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.docsearch.core.fixture.Corruption;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Installs the real bundled models (all-MiniLM-L6-v2 is 86 MB) into temporary artifact roots. */
class ModelStoreTest {

    @TempDir
    static Path sharedRoot;

    static ModelInfo installed;

    @BeforeAll
    static void install() throws IOException {
        installed = new ModelStore(sharedRoot).install(BundledModel.ALL_MINILM_L6_V2);
    }

    @Test
    void recordsPoolingAndPrefixesSoAReleaseIsServedTheWayItWasBuilt(@TempDir Path root) throws IOException {
        BundledModel bge = BundledModel.BGE_SMALL_EN_V15_Q;
        ModelInfo model = new ModelStore(root).install(bge);

        assertThat(model.encoding()).isEqualTo(bge.encoding());
        assertThat(Files.readString(model.directory().resolve("model.properties")))
                .contains("pooling=cls\n", "query.prefix=Represent this sentence for searching relevant passages:\n",
                        "passage.prefix=\n");
        ModelInfo found = new ModelStore(root).locate(bge.name(), bge.sha256());
        assertThat(found.encoding()).isEqualTo(new TextEncoding(Pooling.CLS,
                "Represent this sentence for searching relevant passages:", ""));
        assertThat(found).isEqualTo(model);
    }

    @Test
    void aDirectoryFromBeforePoolingWasRecordedIsMiniLmWithMeanPooling(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        Path properties = copy.directory().resolve("model.properties");
        String legacy = Files.readString(properties).replaceAll("(?m)^(pooling|query\\.prefix|passage\\.prefix)=.*\n", "");
        assertThat(legacy).doesNotContain("pooling").contains("tokenizer.json.sha256=");
        Files.writeString(properties, legacy);

        assertThat(new ModelStore(root).locate(copy.name(), copy.sha256()).encoding()).isEqualTo(TextEncoding.PLAIN_MEAN);
    }

    @Test
    void refusesAPoolingItDoesNotKnow(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        Path properties = copy.directory().resolve("model.properties");
        Files.writeString(properties, Files.readString(properties).replace("pooling=mean", "pooling=max"));

        assertLocatingRefused(root, copy)
                .hasMessageContaining("model.properties")
                .hasMessageContaining("pooling must be 'mean' or 'cls', got 'max'");
    }

    @Test
    void installsUnderModelsNameSha256WithNothingElseLeftBehind() throws Exception {
        String sha = sha256(installed.modelFile());
        Path expected = sharedRoot.resolve("models").resolve("all-minilm-l6-v2").resolve(sha);

        assertThat(installed).isEqualTo(new ModelInfo("all-minilm-l6-v2", sha, 384, expected, TextEncoding.PLAIN_MEAN));
        assertThat(installed.modelFile()).isRegularFile().hasFileName("model.onnx");
        assertThat(Files.size(installed.modelFile())).isGreaterThan(80_000_000L);
        assertThat(installed.tokenizerFile()).isRegularFile().hasFileName("tokenizer.json");
        assertThat(Files.readString(installed.tokenizerFile())).contains("\"[CLS]\"");
        assertThat(listNames(expected.getParent())).containsExactly(sha); // no temporary directory left
        assertThat(listNames(expected)).containsExactlyInAnyOrder("model.onnx", "tokenizer.json", "model.properties");
    }

    @Test
    void reinstallingReusesTheVerifiedDirectoryWithoutRewritingIt() throws IOException {
        Object fileKey = Files.readAttributes(installed.modelFile(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        FileTime modified = Files.getLastModifiedTime(installed.modelFile());

        ModelInfo again = new ModelStore(sharedRoot).install(BundledModel.ALL_MINILM_L6_V2);

        assertThat(again).isEqualTo(installed);
        assertThat(Files.readAttributes(again.modelFile(), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isEqualTo(fileKey);
        assertThat(Files.getLastModifiedTime(again.modelFile())).isEqualTo(modified);
    }

    @Test
    void locatesAndVerifiesByNameAndChecksum() throws IOException {
        assertThat(new ModelStore(sharedRoot).locate(installed.name(), installed.sha256())).isEqualTo(installed);
    }

    @Test
    void locatingAnAbsentModelSaysWhatIsMissing(@TempDir Path empty) {
        assertThatThrownBy(() -> new ModelStore(empty).locate("all-minilm-l6-v2", installed.sha256()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining(installed.sha256());
    }

    @Test
    void refusesATruncatedModel(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        try (RandomAccessFile file = new RandomAccessFile(copy.modelFile().toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }
        assertLocatingRefused(root, copy)
                .hasMessageContaining("model.onnx is " + Files.size(copy.modelFile()) + " bytes, expected")
                .hasMessageContaining("truncated");
    }

    @Test
    void refusesATamperedModelOfTheRightSize(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        Corruption.flipByte(copy.modelFile(), Files.size(copy.modelFile()) / 3);
        assertLocatingRefused(root, copy)
                .hasMessageContaining("model.onnx has sha256 ")
                .hasMessageContaining("expected " + copy.sha256())
                .hasMessageContaining("tampered");
    }

    @Test
    void findChecksSizesAndLeavesChecksumsToVerifyChecksums(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        Corruption.flipByte(copy.modelFile(), Files.size(copy.modelFile()) / 3);
        ModelStore store = new ModelStore(root);
        ModelInfo found = store.find(copy.name(), copy.sha256());
        assertThat(found).isEqualTo(copy);
        assertThatThrownBy(() -> store.verifyChecksums(found))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("model.onnx has sha256 ");
        try (RandomAccessFile file = new RandomAccessFile(copy.tokenizerFile().toFile(), "rw")) {
            file.setLength(file.length() - 1);
        }
        assertThatThrownBy(() -> store.find(copy.name(), copy.sha256()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("tokenizer.json is ");
    }

    @Test
    void refusesATamperedTokenizer(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        Corruption.flipByte(copy.tokenizerFile(), 100);
        assertLocatingRefused(root, copy)
                .hasMessageContaining("tokenizer.json has sha256");
    }

    @Test
    void refusesADirectoryWithoutMetadata(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        Files.delete(copy.directory().resolve("model.properties"));
        assertLocatingRefused(root, copy)
                .hasMessageContaining("model.properties is missing");
    }

    @Test
    void reinstallReplacesACorruptedDirectoryAndKeepsItAside(@TempDir Path root) throws IOException {
        ModelInfo copy = copyInstalledInto(root);
        Corruption.flipByte(copy.modelFile(), 12345);

        ModelInfo repaired = new ModelStore(root).install(BundledModel.ALL_MINILM_L6_V2);

        assertThat(repaired).isEqualTo(copy);
        assertThat(new ModelStore(root).locate(copy.name(), copy.sha256())).isEqualTo(copy);
        assertThat(listNames(copy.directory().getParent()))
                .anyMatch(name -> name.startsWith(".rejected-" + copy.sha256()));
    }

    @Test
    void aCrashedInstallNeverLooksLikeAModelAndIsCleanedUpLater(@TempDir Path root) throws IOException {
        // What a crash mid-copy leaves: a temporary directory with a partial model.onnx.
        Path parent = Files.createDirectories(root.resolve("models").resolve("all-minilm-l6-v2"));
        Path leftover = Files.createDirectory(parent.resolve(".tmp-12345"));
        Files.write(leftover.resolve("model.onnx"), new byte[1000]);
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
        ModelStore store = new ModelStore(root);
        assertThatThrownBy(() -> store.locate("all-minilm-l6-v2", installed.sha256()))
                .isInstanceOf(ModelIntegrityException.class);

        ModelInfo model = store.install(BundledModel.ALL_MINILM_L6_V2);

        assertThat(model.sha256()).isEqualTo(installed.sha256());
        assertThat(listNames(parent)).containsExactly(installed.sha256());
    }

    @Test
    void concurrentInstallsEndWithOneIntactDirectory(@TempDir Path root) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<ModelInfo> install = () -> new ModelStore(root).install(BundledModel.ALL_MINILM_L6_V2);
            List<Future<ModelInfo>> results = pool.invokeAll(List.of(install, install));
            assertThat(results.get(0).get()).isEqualTo(results.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(listNames(root.resolve("models").resolve("all-minilm-l6-v2"))).containsExactly(installed.sha256());
        assertThat(new ModelStore(root).locate("all-minilm-l6-v2", installed.sha256()).sha256())
                .isEqualTo(installed.sha256());
    }

    @Test
    void namesAndChecksumsCannotEscapeTheModelsDirectory() {
        ModelStore store = new ModelStore(sharedRoot);
        assertThatThrownBy(() -> store.locate("../../etc", installed.sha256()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model name");
        assertThatThrownBy(() -> store.locate("all-minilm-l6-v2", "../" + installed.sha256().substring(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256");
    }

    /** Locating {@code copy} in {@code root} fails as a {@link ModelIntegrityException}; the caller checks why. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertLocatingRefused(Path root, ModelInfo copy) {
        return assertThatThrownBy(() -> new ModelStore(root).locate(copy.name(), copy.sha256()))
                .isInstanceOf(ModelIntegrityException.class);
    }

    private static ModelInfo copyInstalledInto(Path root) throws IOException {
        Path target = root.resolve(sharedRoot.relativize(installed.directory()));
        Files.createDirectories(target);
        for (String name : List.of("model.onnx", "tokenizer.json", "model.properties")) {
            Files.copy(installed.directory().resolve(name), target.resolve(name));
        }
        return new ModelInfo(installed.name(), installed.sha256(), installed.dimension(), target, installed.encoding());
    }

    private static List<String> listNames(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
