package dev.docsearch.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.service.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's life with the artifact root as it really changes: started before anything is published,
 * a release that fails verification, one whose files arrive after {@code CURRENT} names it (S3-API uploads
 * syncing onto the mount), and one whose model is missing.
 */
class ReleaseLifecycleTest {

    @TempDir
    Path tmp;

    private static SearchServer start(Path root) {
        return SearchServer.start(new ServiceConfig(root, "127.0.0.1", 0, Duration.ofMillis(100), Duration.ofMillis(800),
                1024, 100, 100, "127.0.0.1", ServiceConfig.METRICS_ON_SERVICE_PORT, 0, List.of()));
    }

    /** What an S3-API writer can do: name a release in CURRENT before (or without) its files being complete. */
    private static void writeCurrent(Path root, String id) throws Exception {
        Path temp = root.resolve("CURRENT.tmp-test");
        Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
        Files.move(temp, root.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Waits until the release {@code root} starts with is served, then names {@code next} in CURRENT; returns the
     * health once the service reports itself degraded, still serving the first.
     */
    private static JsonNode degradedOnceCurrentNames(HttpProbe http, Path root, String next) throws Exception {
        Awaiting.status(http, 200, Duration.ofSeconds(60));
        writeCurrent(root, next);
        return Awaiting.health(http, Duration.ofSeconds(20), r -> r.body().contains("degraded"));
    }

    /** Links the shared models back into {@code root}, then waits until release {@code id} is served. */
    private static void linkModelsAndAwaitServing(Path root, HttpProbe http, String id, Duration timeout)
            throws Exception {
        TestCorpus.linkModels(root);
        JsonNode ok = Awaiting.status(http, 200, timeout);
        assertThat(ok.get("release").asText()).isEqualTo(id);
    }

    @Test
    void startsWithoutAReleaseAnswers503AndServesOnceOneIsPublished() throws Exception {
        Path root = tmp.resolve("not-mounted-yet");
        try (SearchServer server = start(root)) {
            HttpProbe http = new HttpProbe(server.port());
            JsonNode health = Awaiting.health(http, Duration.ofSeconds(10),
                    r -> r.statusCode() == 503 && r.body().contains("unavailable"));
            assertThat(health.get("reason").asText()).contains("no release published").contains("CURRENT");
            assertThat(health.has("release")).isFalse();

            HttpResponse<String> search = http.get("/api/search?q=versioning");
            assertThat(search.statusCode()).isEqualTo(503);
            assertThat(HttpProbe.json(search).get("error").asText()).contains("not available").contains("no release published");
            HttpResponse<String> post = http.post("/search", "application/json", "{\"query\": \"versioning\"}");
            assertThat(post.statusCode()).isEqualTo(503);
            HttpResponse<String> page = http.get("/?q=versioning");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.body()).contains("Search is not available right now").contains("no release published");
            assertThat(http.get("/").statusCode()).isEqualTo(200); // the home page itself works
            // Bad input is still bad input while unavailable.
            assertThat(http.get("/api/search?q=a&k=0").statusCode()).isEqualTo(400);

            String id = TestCorpus.publishDefault(root);
            JsonNode ok = Awaiting.status(http, 200, Duration.ofSeconds(60));
            assertThat(ok.get("status").asText()).isEqualTo("ok");
            assertThat(ok.get("release").asText()).isEqualTo(id);
            assertThat(http.search("versioning", "").get("release").asText()).isEqualTo(id);
            assertThat(server.openReleases()).isEqualTo(1);
        }
    }

    @Test
    void aCorruptReleaseIsRejectedTheOldOneKeepsServingAndTheRepairedOneIsTakenOnRetry() throws Exception {
        Path root = tmp.resolve("root");
        String good = TestCorpus.publishDefault(root);
        String next = TestCorpus.build(root, TestCorpus.PAGES.subList(0, 10), good).id();
        Path chunks = root.resolve("releases").resolve(next).resolve("chunks.dat");
        byte[] original = Files.readAllBytes(chunks);
        byte[] corrupt = original.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        Files.write(chunks, corrupt);

        try (SearchServer server = start(root)) {
            HttpProbe http = new HttpProbe(server.port());
            JsonNode degraded = degradedOnceCurrentNames(http, root, next);
            assertThat(degraded.get("release").asText()).isEqualTo(good);
            assertThat(degraded.get("rejected_release").asText()).isEqualTo(next);
            assertThat(degraded.get("reason").asText()).contains(next).contains("chunks.dat").contains("SHA-256");
            assertThat(http.search("versioning", "").get("release").asText()).isEqualTo(good);
            assertThat(server.metrics().scrape()).containsPattern("docsearch_reload_failures_total [1-9]");

            Files.write(chunks, original);
            JsonNode ok = Awaiting.health(http, Duration.ofSeconds(20), r -> r.body().contains("\"ok\""));
            assertThat(ok.get("release").asText()).isEqualTo(next);
            assertThat(ok.has("reason")).isFalse();
            assertThat(http.search("versioning", "").get("release").asText()).isEqualTo(next);
            awaitOpenReleases(server, 1);
        }
    }

    @Test
    void aReleaseWhoseFilesArriveAfterCurrentIsServedOnceTheyAreThere() throws Exception {
        Path root = tmp.resolve("root");
        String good = TestCorpus.publishDefault(root);
        String next = TestCorpus.build(root, TestCorpus.PAGES.subList(2, 12), good).id();
        Path dir = root.resolve("releases").resolve(next);
        Path away = tmp.resolve("still-uploading");
        Files.move(dir, away);

        try (SearchServer server = start(root)) {
            HttpProbe http = new HttpProbe(server.port());
            JsonNode degraded = degradedOnceCurrentNames(http, root, next);
            assertThat(degraded.get("reason").asText()).contains("manifest.json is missing");
            assertThat(degraded.get("release").asText()).isEqualTo(good);

            Files.move(away, dir);
            JsonNode ok = Awaiting.health(http, Duration.ofSeconds(20), r -> r.body().contains("\"ok\""));
            assertThat(ok.get("release").asText()).isEqualTo(next);
        }
    }

    @Test
    void aReleaseWhoseModelIsMissingIsRejectedWithTheReason() throws Exception {
        Path root = tmp.resolve("root");
        String id = TestCorpus.publishDefault(root);
        Files.delete(root.resolve("models"));

        try (SearchServer server = start(root)) {
            HttpProbe http = new HttpProbe(server.port());
            JsonNode unavailable = Awaiting.health(http, Duration.ofSeconds(30),
                    r -> r.statusCode() == 503 && r.body().contains("unavailable"));
            assertThat(unavailable.get("reason").asText()).contains(id).contains("model " + BundledModel.DEFAULT_NAME + " ")
                    .contains("not found");
            assertThat(server.openReleases()).isZero();

            linkModelsAndAwaitServing(root, http, id, Duration.ofSeconds(30));
        }
    }

    @Test
    void aReleaseWhoseModelIsCorruptedIsRejectedWithTheReason() throws Exception {
        Path root = tmp.resolve("root");
        String id = TestCorpus.publishDefault(root);
        Path shared = root.resolve("models").toRealPath();
        Files.delete(root.resolve("models"));
        Path onnx = null;
        try (Stream<Path> files = Files.walk(shared)) {
            for (Path f : files.toList()) {
                Path copy = root.resolve("models").resolve(shared.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(f, copy);
                    onnx = f.getFileName().toString().equals("model.onnx") ? copy : onnx;
                }
            }
        }
        assertThat(onnx).isNotNull();
        // One flipped bit deep inside the weights: same size, still a loadable model, a different one.
        try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = ch.size() / 2;
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
            ch.write(b, at);
        }

        try (SearchServer server = start(root)) {
            HttpProbe http = new HttpProbe(server.port());
            JsonNode unavailable = Awaiting.health(http, Duration.ofSeconds(30),
                    r -> r.statusCode() == 503 && r.body().contains("unavailable"));
            assertThat(unavailable.get("reason").asText()).contains(id).contains("model.onnx has sha256")
                    .contains("corrupted");
            assertThat(server.openReleases()).isZero();
            assertThat(http.get("/api/search?q=bucket").statusCode()).isEqualTo(503);

            TestCorpus.deleteTree(root.resolve("models"));
            linkModelsAndAwaitServing(root, http, id, Duration.ofSeconds(60));
        }
    }

    @Test
    void aCurrentFileWithGarbageIsReported() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root);
        Files.writeString(root.resolve("CURRENT"), "../../etc/passwd\n");
        try (SearchServer server = start(root)) {
            HttpProbe http = new HttpProbe(server.port());
            JsonNode h = Awaiting.health(http, Duration.ofSeconds(10), r -> r.body().contains("unavailable"));
            assertThat(h.get("reason").asText()).contains("CURRENT cannot be read").contains("does not hold a release id");
            assertThat(new ReleaseStore(root).ids()).isEmpty();
        }
    }

    private static void awaitOpenReleases(SearchServer server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.openReleases() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.openReleases()).isEqualTo(expected);
    }
}
