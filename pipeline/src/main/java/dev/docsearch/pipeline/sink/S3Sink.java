package dev.docsearch.pipeline.sink;

import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.VerifiedRelease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Publishes into an S3 bucket through the AWS SDK v2, in the order that keeps readers safe: the model (only if
 * its {@code model.properties} is not there yet, and that file last), then every file of the release, then its
 * {@code manifest.json}, then {@code CURRENT}. On AWS the bucket is the one behind the S3 Files mount, whose
 * readers verify a release against its manifest before using it, so a release still syncing is never served.
 */
public final class S3Sink implements ReleaseSink {

    private static final Logger log = LoggerFactory.getLogger(S3Sink.class);

    private final S3Location location;
    private final S3Client client;

    /** Uses {@code client}, which the sink then owns (closes). */
    public S3Sink(S3Location location, S3Client client) {
        this.location = location;
        this.client = client;
    }

    /** A sink with a client configured from {@code settings} and the SDK's default credentials chain. */
    public static S3Sink open(S3Location location, S3Settings settings) {
        S3ClientBuilder b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2))
                        .build());
        if (settings.endpoint() != null) {
            // S3-compatible servers: path-style addresses, plain (not aws-chunked) bodies, and checksums only
            // where S3 requires them: the common ground of S3 implementations.
            b.endpointOverride(settings.endpoint()).forcePathStyle(true)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        if (settings.region() != null) {
            b.region(Region.of(settings.region()));
        } else if (settings.endpoint() != null) {
            b.region(Region.US_EAST_1);
        }
        try {
            return new S3Sink(location, b.build());
        } catch (SdkException e) {
            throw new IllegalArgumentException("cannot set up the S3 client for " + location + ": " + e.getMessage()
                    + " (set --aws-region or AWS_REGION, and credentials the SDK can find)", e);
        }
    }

    @Override
    public String describe() {
        return location.toString();
    }

    @Override
    public boolean isArtifactRoot() {
        return false;
    }

    @Override
    public void publish(ReleaseStore local, VerifiedRelease release, ModelInfo model) throws IOException {
        Manifest manifest = release.manifest();
        long start = System.nanoTime();
        try {
            int modelFiles = uploadModelIfMissing(local.root(), model);
            Path dir = local.releaseDir(manifest.id());
            String releaseKey = "releases/" + manifest.id() + "/";
            long bytes = 0;
            for (Manifest.FileEntry f : manifest.files()) {
                put(location.key(releaseKey + f.path()), dir.resolve(f.path()), "application/octet-stream");
                bytes += f.bytes();
            }
            put(location.key(releaseKey + Manifest.FILE), dir.resolve(Manifest.FILE), "application/json");
            PausePoint.reach(PausePoint.BEFORE_CURRENT);
            client.putObject(PutObjectRequest.builder().bucket(location.bucket()).key(location.key(ReleaseStore.CURRENT))
                    .contentType("text/plain").build(), RequestBody.fromString(manifest.id() + "\n", StandardCharsets.UTF_8));
            log.info("release uploaded id={} sink={} files={} bytes={} modelFiles={} ms={}", manifest.id(), location,
                    manifest.files().size() + 1, bytes, modelFiles, (System.nanoTime() - start) / 1_000_000);
        } catch (SdkException e) {
            throw new IOException("upload of release " + manifest.id() + " to " + location + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> retainOnly(Set<String> kept) throws IOException {
        try {
            String live = current().orElse(null);
            List<String> deleted = new ArrayList<>();
            for (String id : releaseIds()) {
                if (!kept.contains(id) && !id.equals(live)) {
                    deleteRelease(id);
                    deleted.add(id);
                }
            }
            return deleted;
        } catch (SdkException e) {
            throw new IOException("pruning releases at " + location + " failed: " + e.getMessage(), e);
        }
    }

    /** The release id {@code CURRENT} names at the sink, if any. */
    public Optional<String> current() {
        try {
            String text = client.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key(ReleaseStore.CURRENT)))
                    .asUtf8String().strip();
            return ReleaseStore.isReleaseId(text) ? Optional.of(text) : Optional.empty();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Ids of the releases under {@code prefix/releases/}, oldest first. */
    public List<String> releaseIds() {
        String base = location.key("releases/");
        List<String> ids = new ArrayList<>();
        for (CommonPrefix p : client.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(base).delimiter("/"))
                .commonPrefixes()) {
            String name = p.prefix().substring(base.length()).replace("/", "");
            if (ReleaseStore.isReleaseId(name)) {
                ids.add(name);
            }
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public void close() {
        client.close();
    }

    private int uploadModelIfMissing(Path root, ModelInfo model) throws IOException {
        String base = "models/" + model.name() + "/" + model.sha256() + "/";
        String marker = "model.properties";
        if (exists(location.key(base + marker))) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(model.directory())) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        int n = 0;
        for (Path f : files) {
            if (!f.getFileName().toString().equals(marker)) {
                put(location.key(base + f.getFileName()), f, "application/octet-stream");
                n++;
            }
        }
        // Last: a reader takes a model directory with its properties file as complete (and verifies it).
        put(location.key(base + marker), model.directory().resolve(marker), "text/plain");
        return n + 1;
    }

    private boolean exists(String key) {
        try {
            client.headObject(b -> b.bucket(location.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void put(String key, Path file, String contentType) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("cannot upload " + file + " to " + key + ": the file is missing");
        }
        client.putObject(PutObjectRequest.builder().bucket(location.bucket()).key(key).contentType(contentType)
                .contentLength(Files.size(file)).build(), RequestBody.fromFile(file));
    }

    private void deleteRelease(String id) {
        String prefix = location.key("releases/" + id + "/");
        // The manifest goes first: from then on readers see an incomplete release and ignore it.
        client.deleteObject(b -> b.bucket(location.bucket()).key(prefix + Manifest.FILE));
        // One request per key: DeleteObjects batches need a request checksum that S3-compatible stores (s3proxy,
        // which the tests run against) refuse with 501. A release has a dozen files.
        for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(prefix)).contents()) {
            client.deleteObject(b -> b.bucket(location.bucket()).key(o.key()));
        }
        log.info("release deleted at sink id={} sink={}", id, location);
    }
}
