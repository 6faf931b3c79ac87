package dev.docsearch.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest of docsearch (release files, model files, cache keys, page and corpus hashes), always
 * rendered as 64 lowercase hex digits. Stateless and thread-safe; each call uses its own {@link MessageDigest}.
 */
public final class Sha256 {

    private static final int BUFFER = 1 << 16;

    private Sha256() {
    }

    /** A fresh digest for callers that feed it piece by piece; render it with {@link #hex(MessageDigest)}. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Completes {@code digest} (which it resets) and renders it. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of {@code text} in UTF-8. */
    public static String of(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The SHA-256 of a file's content, read once from start to end. */
    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return copy(in, OutputStream.nullOutputStream()).sha256();
        }
    }

    /**
     * Copies {@code in} to {@code out} until the end of {@code in}, hashing what passes, so that a file is hashed
     * while it is written rather than read again afterwards. Neither stream is closed.
     */
    public static Copied copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER];
        long bytes = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            bytes += n;
        }
        return new Copied(hex(digest), bytes);
    }

    /**
     * What {@link #copy} passed on.
     *
     * @param sha256 the hex SHA-256 of the bytes
     * @param bytes  how many there were
     */
    public record Copied(String sha256, long bytes) {
    }
}
