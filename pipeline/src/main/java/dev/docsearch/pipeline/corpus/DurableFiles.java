package dev.docsearch.pipeline.corpus;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that survive a crash at any point: a file appears under its name complete or not at all
 * (write a temporary sibling, fsync, rename over), and the rename itself is made durable by
 * syncing the directory where the file system allows it.
 */
final class DurableFiles {

    /** Temporary files carry this in their name, so leftovers of a crash can be recognised. */
    static final String TEMP_MARK = ".tmp-";

    private DurableFiles() {
    }

    /** Replaces {@code target} with {@code data} atomically. */
    static void write(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + TEMP_MARK + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            // Streams, not channels: an interrupted thread must not close the file under a writer.
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                out.write(data);
                out.getFD().sync();
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically; the corpus needs it", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /** fsyncs a directory so that renames in it are durable; a no-op where that is not supported. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems (and NFS clients) refuse fsync on directories; the rename still happened.
        }
    }
}
