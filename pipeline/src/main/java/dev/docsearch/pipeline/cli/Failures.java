package dev.docsearch.pipeline.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.ReadOnlyFileSystemException;

/** Turns an exception into the one line a person reads: what failed and why, without a stack trace. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable e) {
        Throwable top = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = single(top);
        // A wrapper's message may leave out the file system's own reason (read-only, no space): add it.
        Throwable root = top;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != top && root instanceof FileSystemException) {
            String detail = single(root);
            if (!message.contains(detail)) {
                message = message + " (" + detail + ")";
            }
        }
        return message;
    }

    private static String single(Throwable e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile() + reason(a);
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory: " + n.getFile() + reason(n);
        }
        if (e instanceof NotDirectoryException n) {
            return "not a directory: " + n.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "already exists (and is in the way): " + f.getFile() + reason(f);
        }
        if (e instanceof ReadOnlyFileSystemException) {
            return "read-only file system";
        }
        if (e instanceof FileSystemException f) {
            String r = f.getReason();
            return f.getFile() + (r == null ? "" : ": " + r)
                    + (f.getOtherFile() == null ? "" : " (and " + f.getOtherFile() + ")");
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String reason(FileSystemException e) {
        return e.getReason() == null ? "" : " (" + e.getReason() + ")";
    }
}
