package dev.docsearch.service;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this process holds open, read from {@code /proc/self}: file descriptors and memory-mapped files.
 * Lucene maps its files and closes the descriptors, so leaked releases show in the maps, not only in fds.
 *
 * @param descriptors  open descriptors of files (sockets, pipes and event fds left out: their number follows the
 *                     clients' connection pools and the machine's cores, not the releases)
 * @param releaseFiles paths under {@code releases/} that are open or mapped (a leaked release shows here)
 */
record ProcessFiles(int descriptors, Set<String> releaseFiles) {

    static ProcessFiles snapshot(Path root) throws IOException {
        String releases = root.toRealPath().resolve("releases").toString();
        int fds = 0;
        Set<String> files = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : ds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/")) {
                        fds++;
                    }
                    if (target.startsWith(releases)) {
                        files.add(target);
                    }
                } catch (IOException e) {
                    // Closed between listing and reading: not open any more.
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.substring(slash).startsWith(releases)) {
                files.add(line.substring(slash));
            }
        }
        return new ProcessFiles(fds, files);
    }

    /** The release ids the open and mapped files belong to. */
    Set<String> releaseIds(Path root) throws IOException {
        String releases = root.toRealPath().resolve("releases").toString() + "/";
        Set<String> ids = new TreeSet<>();
        for (String f : releaseFiles) {
            String rest = f.substring(releases.length());
            int slash = rest.indexOf('/');
            ids.add(slash < 0 ? rest : rest.substring(0, slash));
        }
        return ids;
    }

    /** Files under {@code releases/} that are not in release {@code id}. */
    List<String> outside(Path root, String id) throws IOException {
        String dir = root.toRealPath().resolve("releases").resolve(id).toString() + "/";
        List<String> out = new ArrayList<>();
        for (String f : releaseFiles) {
            if (!f.startsWith(dir)) {
                out.add(f);
            }
        }
        return out;
    }
}
