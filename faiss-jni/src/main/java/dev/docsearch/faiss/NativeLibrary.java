package dev.docsearch.faiss;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code libfaissjni.so} from this jar: copies it once into a per-user cache directory keyed
 * by the library's SHA-256 (written beside it by the native build), then {@link System#load}s it.
 * A library can only be loaded from a file, and keying by hash means a new build never reuses an
 * old copy while repeated starts of the same build skip the copy. Concurrent JVMs are safe: each
 * writes its own temporary file and renames it into place atomically.
 *
 * <p>The cache directory is {@code ${java.io.tmpdir}/docsearch-native-${user.name}} unless the system
 * property {@value #CACHE_DIR_PROPERTY} names another.
 */
final class NativeLibrary {
    static final String CACHE_DIR_PROPERTY = "docsearch.faiss.nativeCacheDir";
    static final String PLATFORM = "linux-x86_64";
    static final String FILE_NAME = "libfaissjni.so";
    static final String RESOURCE = "/native/" + PLATFORM + "/" + FILE_NAME;

    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);
    private static boolean loaded;

    private NativeLibrary() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        requireSupportedPlatform();
        long start = System.nanoTime();
        String expectedSha256 = readExpectedSha256();
        Path library = cacheDirectory().resolve("faissjni-" + expectedSha256.substring(0, 16)).resolve(FILE_NAME);
        boolean extracted = false;
        try {
            if (!Files.isRegularFile(library) || !sha256(library).equals(expectedSha256)) {
                extract(library, expectedSha256);
                extracted = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + RESOURCE + " to " + library, e);
        }
        try {
            System.load(library.toString());
        } catch (UnsatisfiedLinkError e) {
            UnsatisfiedLinkError explained = new UnsatisfiedLinkError("cannot load " + library + ": " + e.getMessage()
                    + " (the host needs glibc >= 2.35 and libgomp1; if " + library.getParent().getParent()
                    + " is on a noexec mount, point -D" + CACHE_DIR_PROPERTY + " at another directory)");
            explained.initCause(e);
            throw explained;
        }
        loaded = true;
        LOG.info("faiss-jni: loaded {} (FAISS {}, {} MB, sha256 {}, {}) in {} ms",
                library, FaissNative.faissVersion(), String.format(Locale.ROOT, "%.1f", sizeOf(library) / 1e6),
                expectedSha256.substring(0, 16), extracted ? "extracted" : "cached",
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The path a load would use; visible so tests can inspect the library the JVM runs. */
    static Path cachedLibrary() {
        return cacheDirectory().resolve("faissjni-" + readExpectedSha256().substring(0, 16)).resolve(FILE_NAME);
    }

    private static void requireSupportedPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new UnsatisfiedLinkError("faiss-jni ships a native library for " + PLATFORM
                    + " only; this JVM runs on " + os + "/" + arch);
        }
    }

    private static String readExpectedSha256() {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE + ".sha256")) {
            if (in == null) {
                throw new UnsatisfiedLinkError(RESOURCE + ".sha256 is missing from the classpath;"
                        + " the faiss-jni jar was built without its native library (see faiss-jni/README.md)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            String hash = text.split("\\s+")[0];
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new UnsatisfiedLinkError(RESOURCE + ".sha256 does not hold a SHA-256: " + text);
            }
            return hash;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ".sha256", e);
        }
    }

    private static Path cacheDirectory() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "docsearch-native-" + System.getProperty("user.name"));
    }

    private static void extract(Path library, String expectedSha256) throws IOException {
        Path directory = library.getParent();
        // Owner-only: nobody else may swap the code this JVM is about to execute.
        if (!Files.isDirectory(directory.getParent())) {
            Files.createDirectories(directory.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, FILE_NAME, ".part");
        try {
            String actual;
            try (InputStream resource = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
                if (resource == null) {
                    throw new UnsatisfiedLinkError(RESOURCE + " is missing from the classpath");
                }
                DigestInputStream in = new DigestInputStream(resource, sha256Digest());
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    in.transferTo(out);
                }
                actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
            }
            if (!actual.equals(expectedSha256)) {
                throw new UnsatisfiedLinkError(RESOURCE + " has sha256 " + actual + " but "
                        + RESOURCE + ".sha256 says " + expectedSha256 + "; the jar is damaged or mixed");
            }
            try {
                Files.move(temporary, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, library, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
