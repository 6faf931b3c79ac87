package dev.docsearch.core.embed;

import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Embedding models as artifacts: {@code <root>/models/<name>/<sha256>/} holding {@code model.onnx},
 * {@code tokenizer.json} and {@code model.properties} (name, checksums, sizes, vector dimension, pooling and
 * prefixes), where {@code <sha256>} is the SHA-256 of {@code model.onnx}. A directory written before pooling and
 * prefixes were recorded is all-MiniLM-L6-v2's, which has mean pooling and no prefixes.
 *
 * <p>A model directory is immutable once it has its final name. {@link #install} writes it
 * into a temporary sibling first and renames it into place, so a crash never leaves a half model
 * under a real name; {@link #locate} checks sizes and checksums before anyone loads it, so a
 * truncated, tampered or half-synced copy is refused with a message that says what differs.
 *
 * <p>All methods use plain file I/O (the artifact root may be an NFS mount). Instances are
 * immutable and thread-safe; concurrent installs of the same model, even from several processes,
 * end with one intact directory.
 */
public final class ModelStore {

    static final String MODEL_FILE = "model.onnx";
    static final String TOKENIZER_FILE = "tokenizer.json";
    static final String METADATA_FILE = "model.properties";

    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);
    private static final String TEMP_PREFIX = ".tmp-";
    /** Temporary directories older than this are leftovers of a crashed install. */
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path root;

    /** @param artifactRoot the artifact root (the directory holding {@code models/}) */
    public ModelStore(Path artifactRoot) {
        this.root = Objects.requireNonNull(artifactRoot, "artifactRoot");
    }

    /** {@code <root>/models}. */
    public Path modelsDirectory() {
        return root.resolve("models");
    }

    /** Where the model {@code name} with this {@code model.onnx} checksum lives (whether or not it exists). */
    public Path directoryOf(String name, String sha256) {
        // Validated as single plain segments, so neither can escape the models directory.
        return modelsDirectory().resolve(ModelInfo.checkName(name)).resolve(ModelInfo.checkSha256(sha256));
    }

    /** {@link #install} of {@link BundledModel#DEFAULT}. */
    public ModelInfo installDefault() throws IOException {
        return install(BundledModel.DEFAULT);
    }

    /**
     * Copies a model bundled on the classpath into the store unless an intact copy is there
     * already. A directory of the same checksum that fails verification is moved aside (to
     * {@code .rejected-<sha256>-<millis>}) and replaced. The checksum is known in advance
     * ({@link BundledModel#sha256()}), so an installed copy is reused after hashing that copy alone, and a copy
     * being installed is checked as it is written.
     *
     * @return the verified model
     */
    public ModelInfo install(BundledModel bundled) throws IOException {
        long started = System.nanoTime();
        String name = bundled.name();
        String sha256 = bundled.sha256();
        Path target = directoryOf(name, sha256);
        if (Files.isDirectory(target)) {
            try {
                ModelInfo existing = verify(target, name, sha256);
                log.info("model reused name={} sha256={} dir={} ms={}", name, sha256, target,
                        (System.nanoTime() - started) / 1_000_000);
                return existing;
            } catch (ModelIntegrityException e) {
                Path rejected = target.resolveSibling(".rejected-" + sha256 + "-" + System.currentTimeMillis());
                log.warn("model directory failed verification, moving it aside to {}: {}", rejected, e.getMessage());
                try {
                    AtomicFiles.rename(target, rejected);
                } catch (NoSuchFileException movedByAnotherInstaller) {
                    // Someone else moved it aside first; carry on and install.
                }
            }
        }

        Path parent = target.getParent();
        Files.createDirectories(parent);
        removeStaleTemporaries(parent);
        Path temp = Files.createTempDirectory(parent, TEMP_PREFIX);
        try {
            Sha256.Copied onnx;
            Sha256.Copied tokenizer;
            try (InputStream in = bundledResource(bundled, bundled.onnxResource())) {
                onnx = writeDurably(in, temp.resolve(MODEL_FILE));
            }
            if (!onnx.sha256().equals(sha256)) {
                throw new ModelIntegrityException("classpath resource " + bundled.onnxResource() + " has sha256 "
                        + onnx.sha256() + ", not the pinned " + sha256 + ": a changed " + bundled.carrier()
                        + " version needs its checksum in BundledModel");
            }
            try (InputStream in = bundledResource(bundled, bundled.tokenizerResource())) {
                tokenizer = writeDurably(in, temp.resolve(TOKENIZER_FILE));
            }
            TextEncoding encoding = bundled.encoding();
            String metadata = "name=" + name + "\n"
                    + "sha256=" + sha256 + "\n"
                    + "dimension=" + bundled.dimension() + "\n"
                    + "model.onnx.bytes=" + onnx.bytes() + "\n"
                    + "tokenizer.json.sha256=" + tokenizer.sha256() + "\n"
                    + "tokenizer.json.bytes=" + tokenizer.bytes() + "\n"
                    + "pooling=" + encoding.pooling().key() + "\n"
                    + "query.prefix=" + encoding.queryPrefix() + "\n"
                    + "passage.prefix=" + encoding.passagePrefix() + "\n"
                    + "source=" + bundled.carrier() + "\n";
            try (InputStream in = new ByteArrayInputStream(metadata.getBytes(StandardCharsets.UTF_8))) {
                writeDurably(in, temp.resolve(METADATA_FILE));
            }
            AtomicFiles.fsyncDirectory(temp);
            try {
                AtomicFiles.rename(temp, target);
            } catch (IOException raced) {
                // rename(2) onto a non-empty directory fails (ENOTEMPTY, not always mapped to a
                // specific exception): another installer won, and its directory is complete
                // because it was renamed into place.
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
                log.info("model installed concurrently by another writer, using theirs: {}", target);
                return verify(target, name, sha256);
            }
        } finally {
            AtomicFiles.deleteTree(temp);
        }
        ModelInfo installed = new ModelInfo(name, sha256, bundled.dimension(), target, bundled.encoding());
        log.info("model installed name={} sha256={} dir={} ms={}", name, sha256, target,
                (System.nanoTime() - started) / 1_000_000);
        return installed;
    }

    /**
     * Finds and verifies the model {@code name} whose {@code model.onnx} has this checksum: files
     * present, sizes and SHA-256 of both {@code model.onnx} and {@code tokenizer.json} as recorded.
     *
     * @throws ModelIntegrityException if the directory is missing or anything differs
     */
    public ModelInfo locate(String name, String sha256) throws IOException {
        ModelInfo model = find(name, sha256);
        verifyChecksums(model);
        return model;
    }

    /**
     * Like {@link #locate} but checks only the metadata and file sizes, not the checksums: for a caller that
     * runs {@link #verifyChecksums} while it loads the model (hashing 90 MB takes about half a second on a cold
     * JVM) and uses nothing before both are done.
     *
     * @throws ModelIntegrityException if the directory is missing, or its metadata or a file size differs
     */
    public ModelInfo find(String name, String sha256) throws IOException {
        Path directory = directoryOf(name, sha256);
        if (!Files.isDirectory(directory)) {
            throw new ModelIntegrityException("model " + name + " with sha256 " + sha256 + " not found: "
                    + directory + " does not exist");
        }
        return inspect(directory, name, sha256);
    }

    /**
     * Checks the SHA-256 of the model's {@code model.onnx} (its identity) and {@code tokenizer.json} (as recorded).
     *
     * @throws ModelIntegrityException if either differs
     */
    public void verifyChecksums(ModelInfo model) throws IOException {
        checkDigests(model);
    }

    private static void checkDigests(ModelInfo model) throws IOException {
        long started = System.nanoTime();
        Properties meta = readMetadata(model.directory());
        checkDigest(model.modelFile(), model.sha256());
        checkDigest(model.tokenizerFile(), required(meta, "tokenizer.json.sha256", model.directory()));
        log.debug("model checksums verified dir={} ms={}", model.directory(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Verifies a model directory against its {@code model.properties} and the expected identity.
     * Sizes are checked before checksums so a truncated or still-syncing copy fails fast.
     */
    static ModelInfo verify(Path directory, String name, String sha256) throws IOException {
        ModelInfo model = inspect(directory, name, sha256);
        checkDigests(model);
        return model;
    }

    /** The metadata and file-size half of {@link #verify}. */
    private static ModelInfo inspect(Path directory, String name, String sha256) throws IOException {
        Properties meta = readMetadata(directory);
        String recordedName = required(meta, "name", directory);
        String recordedSha = required(meta, "sha256", directory);
        if (!recordedName.equals(name) || !recordedSha.equals(sha256)) {
            throw new ModelIntegrityException(directory + "/" + METADATA_FILE + " describes " + recordedName + " "
                    + recordedSha + ", expected " + name + " " + sha256);
        }
        int dimension = (int) number(meta, "dimension", directory);
        Path onnx = directory.resolve(MODEL_FILE);
        Path tokenizer = directory.resolve(TOKENIZER_FILE);
        long onnxBytes = number(meta, "model.onnx.bytes", directory);
        long tokenizerBytes = number(meta, "tokenizer.json.bytes", directory);
        checkSize(onnx, onnxBytes);
        checkSize(tokenizer, tokenizerBytes);
        required(meta, "tokenizer.json.sha256", directory);
        return new ModelInfo(name, sha256, dimension, directory, encoding(meta, directory));
    }

    private static TextEncoding encoding(Properties meta, Path directory) throws ModelIntegrityException {
        String pooling = meta.getProperty("pooling");
        if (pooling == null) {
            return TextEncoding.PLAIN_MEAN; // written before the keys existed: only all-MiniLM-L6-v2 was
        }
        try {
            return new TextEncoding(Pooling.ofKey(pooling.strip()), meta.getProperty("query.prefix", "").strip(),
                    meta.getProperty("passage.prefix", "").strip());
        } catch (IllegalArgumentException e) {
            throw new ModelIntegrityException(directory.resolve(METADATA_FILE) + ": " + e.getMessage());
        }
    }

    private static Properties readMetadata(Path directory) throws IOException {
        Path file = directory.resolve(METADATA_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelIntegrityException(file + " is missing: not a complete model directory");
        }
        Properties meta = new Properties();
        meta.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        return meta;
    }

    private static String required(Properties meta, String key, Path directory) throws ModelIntegrityException {
        String value = meta.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new ModelIntegrityException(directory.resolve(METADATA_FILE) + " lacks '" + key + "'");
        }
        return value.trim();
    }

    private static long number(Properties meta, String key, Path directory) throws ModelIntegrityException {
        String value = required(meta, key, directory);
        try {
            long number = Long.parseLong(value);
            if (number > 0 && number <= (key.equals("dimension") ? Integer.MAX_VALUE : Long.MAX_VALUE)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ModelIntegrityException(directory.resolve(METADATA_FILE) + ": '" + key
                + "' must be a positive integer, got '" + value + "'");
    }

    private static void checkSize(Path file, long expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelIntegrityException(file + " is missing");
        }
        long actual = Files.size(file);
        if (actual != expected) {
            throw new ModelIntegrityException(file + " is " + actual + " bytes, expected " + expected
                    + " (truncated, replaced or still syncing)");
        }
    }

    private static void checkDigest(Path file, String expected) throws IOException {
        String actual = Sha256.of(file);
        if (!actual.equals(expected)) {
            throw new ModelIntegrityException(file + " has sha256 " + actual + ", expected " + expected
                    + " (corrupted or tampered with)");
        }
    }

    private static InputStream bundledResource(BundledModel bundled, String resource) {
        InputStream in = ModelStore.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + resource + " not found: the model carrier "
                    + bundled.carrier() + " must be on the classpath");
        }
        return in;
    }

    /** Writes a new file of the temporary model directory, hashing it on the way; durable on return. */
    private static Sha256.Copied writeDurably(InputStream in, Path file) throws IOException {
        Sha256.Copied copied;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            copied = Sha256.copy(in, out);
            out.flush();
            channel.force(true);
        }
        return copied;
    }

    private static void removeStaleTemporaries(Path parent) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP));
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (entry.getFileName().toString().startsWith(TEMP_PREFIX)
                        && Files.getLastModifiedTime(entry).compareTo(cutoff) < 0) {
                    log.info("removing leftover of an interrupted model install: {}", entry);
                    AtomicFiles.deleteTree(entry);
                }
            }
        }
    }
}
