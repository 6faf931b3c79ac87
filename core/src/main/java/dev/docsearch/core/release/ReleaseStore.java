package dev.docsearch.core.release;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The releases of an artifact root and its {@code CURRENT} pointer.
 *
 * <pre>
 * root/CURRENT              one line: the live release id, replaced by write-temp + rename
 * root/releases/&lt;id&gt;/       immutable once complete; manifest.json written last
 * root/releases/.staging-*  releases being written (ignored by readers, removed when abandoned)
 * </pre>
 *
 * <p>Safe over NFS (S3 Files): nothing a reader may have open is ever rewritten; {@code CURRENT} is replaced
 * by an atomic rename, and a release is verified (sizes and checksums against its manifest) before
 * {@code CURRENT} may name it. Thread-safe; methods do plain file I/O on each call.
 */
public final class ReleaseStore {

    private static final Logger log = LoggerFactory.getLogger(ReleaseStore.class);
    public static final String CURRENT = "CURRENT";
    public static final String RELEASES = "releases";
    static final String STAGING_PREFIX = ".staging-";
    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{6}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    /** Last millisecond handed out: ids of one process are strictly increasing even within a millisecond. */
    private static final AtomicLong LAST_ID_MILLIS = new AtomicLong();
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;

    public ReleaseStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path releasesDir() {
        return root.resolve(RELEASES);
    }

    public Path releaseDir(String id) {
        checkId(id);
        return releasesDir().resolve(id);
    }

    /**
     * A new release id, e.g. {@code 20260101T030000123Z-1a2b3c}: sorts by creation time (millisecond, strictly
     * increasing within a process; writers of one root are serialised by the pipeline's lock) and the random
     * suffix keeps ids of different hosts apart.
     */
    public static String newReleaseId(Instant now) {
        long millis = LAST_ID_MILLIS.updateAndGet(last -> Math.max(last + 1, now.toEpochMilli()));
        return ID_TIME.format(Instant.ofEpochMilli(millis)) + "-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    public static boolean isReleaseId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    private static void checkId(String id) {
        if (!isReleaseId(id)) {
            throw new IllegalArgumentException("not a release id: '" + id + "' (expected like 20260101T030000123Z-1a2b3c)");
        }
    }

    /** {@code CURRENT} holds one id of 25 characters; anything much longer is not ours, and is not read in full. */
    static final int MAX_CURRENT_BYTES = 256;

    /**
     * The live release id, or empty when {@code CURRENT} is absent (nothing published yet). At most
     * {@link #MAX_CURRENT_BYTES} are read; a UTF-8 byte order mark and surrounding whitespace are ignored.
     *
     * @throws IOException with a reason an operator can act on: unreadable (permission denied), too long,
     *                     not text, or not a release id
     */
    public Optional<String> current() throws IOException {
        Path file = root.resolve(CURRENT);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_CURRENT_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new IOException(file + " cannot be read: permission denied", e);
        }
        if (head.length > MAX_CURRENT_BYTES) {
            throw new IOException(file + " is longer than " + MAX_CURRENT_BYTES + " bytes: it does not hold a release id");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(head)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text: it does not hold a release id", e);
        }
        text = (text.startsWith("\uFEFF") ? text.substring(1) : text).strip();
        if (!isReleaseId(text)) {
            throw new IOException(file + " does not hold a release id: '" + abbreviate(text) + "'");
        }
        return Optional.of(text);
    }

    /** Ids of complete release directories (those with a manifest), oldest first. */
    public List<String> ids() throws IOException {
        Path dir = releasesDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (isReleaseId(name) && Files.isRegularFile(p.resolve(Manifest.FILE))) {
                    ids.add(name);
                }
            }
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /** Reads a release's manifest without verifying its files. */
    public Manifest manifest(String id) throws ReleaseRejectedException {
        Path file = releaseDir(id).resolve(Manifest.FILE);
        Manifest m;
        try (InputStream in = Files.newInputStream(file)) {
            m = JSON.readValue(in, Manifest.class);
        } catch (AccessDeniedException e) {
            throw new ReleaseRejectedException(id, "manifest.json cannot be read: permission denied on "
                    + e.getFile(), e);
        } catch (NoSuchFileException e) {
            throw new ReleaseRejectedException(id, "manifest.json is missing");
        } catch (IOException e) {
            throw new ReleaseRejectedException(id, "manifest.json is unreadable: " + e.getMessage(), e);
        }
        if (m.format() != Manifest.FORMAT) {
            throw new ReleaseRejectedException(id, "manifest format " + m.format() + " is not supported (expected " + Manifest.FORMAT + ")");
        }
        if (!id.equals(m.id())) {
            throw new ReleaseRejectedException(id, "manifest.json names release " + m.id());
        }
        return m;
    }

    /**
     * Checks that a release is complete and intact: manifest present and well-formed, every listed file
     * present with its size and SHA-256, no listed path escaping the release directory.
     *
     * @return the verified manifest
     * @throws ReleaseRejectedException with the first problem found
     */
    public Manifest verify(String id) throws ReleaseRejectedException {
        return verify(id, path -> true);
    }

    /**
     * Like {@link #verify(String)}, but checks the size and SHA-256 of only the listed files that
     * {@code which} accepts (paths relative to the release directory): for a reader of a few of a release's
     * files, such as a build that reuses an earlier release's chunks.
     */
    public Manifest verify(String id, Predicate<String> which) throws ReleaseRejectedException {
        long start = System.nanoTime();
        Manifest m = manifest(id);
        Path dir = releaseDir(id);
        if (m.files().isEmpty()) {
            throw new ReleaseRejectedException(id, "manifest lists no files");
        }
        long bytes = 0;
        int checked = 0;
        for (Manifest.FileEntry f : m.files()) {
            if (!which.test(f.path())) {
                continue;
            }
            checked++;
            Path p = dir.resolve(f.path()).normalize();
            if (!p.startsWith(dir) || f.path().equals(Manifest.FILE)) {
                throw new ReleaseRejectedException(id, "manifest lists an invalid path: " + f.path());
            }
            long size;
            try {
                size = Files.size(p);
            } catch (NoSuchFileException e) {
                throw new ReleaseRejectedException(id, "file " + f.path() + " is missing");
            } catch (IOException e) {
                throw new ReleaseRejectedException(id, "file " + f.path() + " is unreadable: " + e.getMessage(), e);
            }
            if (size != f.bytes()) {
                throw new ReleaseRejectedException(id, "file " + f.path() + " has " + size + " bytes, manifest says " + f.bytes());
            }
            String sha;
            try {
                sha = Sha256.of(p);
            } catch (IOException e) {
                throw new ReleaseRejectedException(id, "file " + f.path() + " is unreadable: " + e.getMessage(), e);
            }
            if (!sha.equals(f.sha256())) {
                throw new ReleaseRejectedException(id, "file " + f.path() + " has SHA-256 " + sha + ", manifest says " + f.sha256());
            }
            bytes += size;
        }
        log.info("release verified id={} files={} bytes={} ms={}", id, checked, bytes,
                (System.nanoTime() - start) / 1_000_000);
        return m;
    }

    /**
     * {@link #verify(String) Verifies} release {@code id} in full and returns the proof, for a caller that then
     * publishes it, here or through a sink, without hashing it again.
     *
     * @throws ReleaseRejectedException with the first problem found
     */
    public VerifiedRelease verified(String id) throws ReleaseRejectedException {
        return new VerifiedRelease(root, verify(id));
    }

    /**
     * Verifies a release and makes it the live one by atomically replacing {@code CURRENT}.
     * On any failure {@code CURRENT} is left as it was.
     */
    public Manifest publish(String id) throws ReleaseRejectedException, IOException {
        return publish(verified(id));
    }

    /**
     * Makes a release verified in this store the live one by atomically replacing {@code CURRENT}, without
     * verifying it again. On any failure {@code CURRENT} is left as it was.
     *
     * @throws IllegalArgumentException when {@code release} was verified in another store
     */
    public Manifest publish(VerifiedRelease release) throws IOException {
        if (!release.belongsTo(this)) {
            throw new IllegalArgumentException(release + " cannot be published under " + root
                    + " without being verified there");
        }
        String id = release.id();
        Manifest m = release.manifest();
        try {
            AtomicFiles.write(root.resolve(CURRENT), (id + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the artifact root " + root + " does not support atomic rename; refusing to publish", e);
        }
        log.info("release published id={} pages={} chunks={}", id, m.pages(), m.chunks());
        return m;
    }

    /** Deletes a release directory; refuses the live one. */
    public void delete(String id) throws IOException {
        if (current().filter(id::equals).isPresent()) {
            throw new IllegalStateException("release " + id + " is live (named by CURRENT) and cannot be deleted");
        }
        Path dir = releaseDir(id);
        // Renaming first makes the deletion look atomic to readers listing releases.
        Path doomed = releasesDir().resolve(STAGING_PREFIX + "deleted-" + id);
        AtomicFiles.rename(dir, doomed);
        AtomicFiles.deleteTree(doomed);
        log.info("release deleted id={}", id);
    }

    /**
     * Keeps the newest {@code keep} releases that verify, the live one (counted among them when it is one of the
     * newest) and the newest verified release older than the live one (what a rollback would go to); deletes
     * the rest. A release that fails verification counts for nothing toward {@code keep}: it is logged with its
     * reason and deleted. Ids alone would let corrupt copies with later ids push out the last good release.
     *
     * @return ids deleted, corrupt ones included
     */
    public List<String> prune(int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, was " + keep);
        }
        List<String> newestFirst = new ArrayList<>(ids());
        Collections.reverse(newestFirst);
        String live = current().orElse(null);
        Set<String> kept = new HashSet<>();
        int counted = 0;
        boolean rollbackKept = live == null;
        for (String id : newestFirst) {
            if (id.equals(live)) {
                kept.add(id);
                counted++;
                continue;
            }
            boolean rollbackCandidate = !rollbackKept && id.compareTo(live) < 0;
            if (counted >= keep && !rollbackCandidate) {
                continue;
            }
            try {
                verify(id);
            } catch (ReleaseRejectedException e) {
                log.warn("release corrupt id={} reason={}: deleted by prune, counted for nothing", id, e.getMessage());
                continue;
            }
            kept.add(id);
            counted++;
            rollbackKept |= rollbackCandidate;
        }
        List<String> deleted = new ArrayList<>();
        for (String id : newestFirst) {
            if (!kept.contains(id)) {
                delete(id);
                deleted.add(id);
            }
        }
        return deleted;
    }

    /** Removes staging directories left by writers that died (only call while holding the update lock). */
    public int removeAbandonedStaging() throws IOException {
        Path dir = releasesDir();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, STAGING_PREFIX + "*")) {
            for (Path p : ds) {
                AtomicFiles.deleteTree(p);
                removed++;
            }
        }
        if (removed > 0) {
            log.info("abandoned staging directories removed count={}", removed);
        }
        return removed;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
