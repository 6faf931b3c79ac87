package dev.docsearch.core.io;

import org.apache.lucene.util.IOUtils;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files that survive a crash at any point, on local disks and on NFS (S3 Files): a file or directory appears under
 * its name complete or not at all, and once a method returns, what it wrote and the name it gave are durable.
 *
 * <p>The recipe is the usual one: write a temporary sibling, fsync it, rename it over the target with an atomic
 * rename ({@code rename(2)}), then fsync the directory so the rename itself survives a power cut. Readers never
 * see a half-written file, and nothing a reader may have open is ever rewritten in place. A file system that
 * cannot rename atomically is refused ({@link AtomicMoveNotSupportedException}) rather than written half-safely.
 * Some file systems (and NFS clients) refuse to fsync a directory; that is not an error, the rename still happened.
 *
 * <p>Syncing and deleting are Lucene's ({@link IOUtils#fsync}, {@link IOUtils#rm}). Stateless and thread-safe.
 */
public final class AtomicFiles {

    /**
     * Every temporary file this class writes has this in its name ({@code .<target name>.tmp-<random>}, a hidden
     * sibling of the target), so that the leftovers of a crash can be recognised and removed.
     */
    public static final String TEMP_MARK = ".tmp-";

    private AtomicFiles() {
    }

    /**
     * What fills a file: writes to {@code out} and returns. It may wrap {@code out} (buffering, data streams) but
     * must flush its wrapper and leave {@code out} open: the file is synced and closed after it returns.
     */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces (or creates) {@code target} with {@code data}, atomically and durably. */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, out -> out.write(data));
    }

    /**
     * Replaces (or creates) {@code target} with what {@code content} writes, atomically and durably. On any
     * failure (a full disk, an exception from {@code content}) the target is as it was and the temporary file
     * is gone.
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + TEMP_MARK
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            // A stream, not a channel: interrupting the writing thread must not close the file under it.
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                content.writeTo(out);
                out.flush();
                out.getFD().sync();
            }
            move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(dir);
    }

    /**
     * Renames {@code source} (a file or a whole directory) to {@code target} atomically, then makes the rename
     * durable. Fails as {@code rename(2)} does when {@code target} is a non-empty directory, and with
     * {@link java.nio.file.NoSuchFileException} when {@code source} is gone, so that racing renamers can tell
     * who won. The files of a directory must have been synced before ({@link #fsync}, {@link #fsyncDirectory}).
     */
    public static void rename(Path source, Path target) throws IOException {
        move(source, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    private static void move(Path source, Path target, StandardCopyOption... options) throws IOException {
        try {
            Files.move(source, target, options);
        } catch (AtomicMoveNotSupportedException e) {
            throw new AtomicMoveNotSupportedException(source.toString(), target.toString(),
                    "the file system of " + target.toAbsolutePath().getParent()
                            + " cannot rename atomically; refusing to replace files without it");
        }
    }

    /** Forces a file's content to the device (the file is opened for writing, as some platforms require). */
    public static void fsync(Path file) throws IOException {
        IOUtils.fsync(file, false);
    }

    /** Makes new names and renames in {@code dir} durable where the file system allows it; never fails. */
    public static void fsyncDirectory(Path dir) {
        try {
            IOUtils.fsync(dir, true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems (and NFS clients) cannot open or sync a directory; the rename still happened.
        }
    }

    /** Deletes a file or a directory with everything under it; nothing to do when it does not exist. */
    public static void deleteTree(Path path) throws IOException {
        IOUtils.rm(path);
    }
}
