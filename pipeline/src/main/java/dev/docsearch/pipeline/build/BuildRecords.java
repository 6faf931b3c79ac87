package dev.docsearch.pipeline.build;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.release.ReleaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link BuildRecord}s of an artifact root: {@code <root>/builds/<release id>.json}, each written whole
 * (temp + fsync + rename) after its release is committed and before it is published.
 */
public final class BuildRecords {

    private static final Logger log = LoggerFactory.getLogger(BuildRecords.class);

    /** The folder name under the artifact root. */
    public static final String DIRECTORY = "builds";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public BuildRecords(Path root) {
        this.dir = root.resolve(DIRECTORY).toAbsolutePath().normalize();
    }

    public Path directory() {
        return dir;
    }

    /** Writes (or replaces) the record of a release. */
    public void write(BuildRecord record) throws IOException {
        Files.createDirectories(dir);
        Path target = file(record.release());
        AtomicFiles.write(target, JSON.writeValueAsBytes(record));
    }

    /** The record of a release; empty when there is none (a release built by another tool) or it is unreadable. */
    public Optional<BuildRecord> read(String release) {
        Path f = file(release);
        try {
            BuildRecord r = JSON.readValue(f.toFile(), BuildRecord.class);
            if (r.format() != BuildRecord.FORMAT || !release.equals(r.release())) {
                log.warn("build record {} is not a format-{} record of release {}; ignored", f, BuildRecord.FORMAT, release);
                return Optional.empty();
            }
            return Optional.of(r);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("build record {} is unreadable ({}); ignored", f, e.getMessage());
            return Optional.empty();
        }
    }

    /** Deletes the records of releases not in {@code keep}; returns how many were deleted. */
    public int retainOnly(Collection<String> keep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Set<String> kept = new HashSet<>(keep);
        int deleted = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - ".json".length());
                if (!kept.contains(id)) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
        }
        // Temporary files of a writer that died before its rename (only the lock holder writes records).
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + AtomicFiles.TEMP_MARK + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
        return deleted;
    }

    private Path file(String release) {
        if (!ReleaseStore.isReleaseId(release)) {
            throw new IllegalArgumentException("not a release id: '" + release + "'");
        }
        return dir.resolve(release + ".json");
    }
}
