package dev.docsearch.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.service.config.ServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fifty release switches while clients search without pause: no failed request, every answer names one
 * release that was live around the time of the request and whose content it shows, and afterwards only the
 * last release is open (no descriptors or mappings of the forty-nine before it, no extra releases open).
 */
class ReleaseSwitchUnderLoadTest {

    private static final Logger log = LoggerFactory.getLogger(ReleaseSwitchUnderLoadTest.class);
    private static final int SWAPS = 50;
    private static final int CLIENTS = 4;
    /** How stale an answer may be: the previous release may still answer this long after its successor was published. */
    private static final Duration MAX_SWITCH = Duration.ofSeconds(10);

    @TempDir
    Path root;

    /** One searched answer, as the client saw it. */
    private record Answer(long startNanos, long endNanos, String release, String problem) {
    }

    /** Each release holds one page only it has: the marker tells which release's content an answer shows. */
    static List<Page> pagesOf(int generation) {
        List<Page> pages = new ArrayList<>(TestCorpus.PAGES);
        pages.add(TestCorpus.page("marker-guide/gen-" + generation, "Generation marker " + generation,
                "", "The zebrafish generation marker of release number " + generation + " lives only in this release."));
        return pages;
    }

    @Test
    void fiftySwitchesUnderConcurrentSearchesLoseNothingAndLeakNothing() throws Exception {
        TestCorpus.linkModels(root);
        ReleaseStore store = new ReleaseStore(root);
        Map<String, Integer> generationOf = new ConcurrentHashMap<>();
        Map<String, Long> publishedAt = new ConcurrentHashMap<>();
        List<String> order = Collections.synchronizedList(new ArrayList<>());

        Manifest first = TestCorpus.build(root, pagesOf(0), null);
        store.publish(first.id());
        generationOf.put(first.id(), 0);
        publishedAt.put(first.id(), System.nanoTime());
        order.add(first.id());

        try (SearchServer server = SearchServer.start(ServiceConfig.of(root, "127.0.0.1", 0, Duration.ofMillis(100)))) {
            HttpProbe http = new HttpProbe(server.port());
            Awaiting.status(http, 200, Duration.ofSeconds(60));
            // Warm the clients' connection pools so the descriptor baseline includes them.
            for (int i = 0; i < CLIENTS * 3; i++) {
                http.search("zebrafish", "mode=keyword");
            }
            ProcessFiles before = ProcessFiles.snapshot(root);

            AtomicBoolean stop = new AtomicBoolean();
            List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            List<String> queries = List.of("zebrafish", "lambda timeout", "s3:PutObject", "keep old versions of objects",
                    "zebrafish marker", "instance memory", "throttling retries", "firewall rules");
            List<String> modes = List.of("keyword", "hybrid", "semantic");
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String q = queries.get((client + i) % queries.size());
                        String mode = modes.get((client + i / queries.size()) % modes.size());
                        answers.add(ask(http, q, mode, generationOf));
                    }
                }));
            }

            Random random = new Random(42);
            List<Long> switchMillis = new ArrayList<>();
            String parent = first.id();
            for (int generation = 1; generation <= SWAPS; generation++) {
                Thread.sleep(500 + random.nextInt(500));
                Manifest m = TestCorpus.build(root, pagesOf(generation), parent);
                generationOf.put(m.id(), generation);
                long published = System.nanoTime();
                publishedAt.put(m.id(), published);
                order.add(m.id());
                store.publish(m.id());
                store.prune(3);
                String id = m.id();
                Awaiting.health(http, MAX_SWITCH, r -> r.statusCode() == 200 && r.body().contains(id));
                switchMillis.add((System.nanoTime() - published) / 1_000_000);
                parent = m.id();
            }
            Thread.sleep(500);
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
            clients.shutdown();

            List<String> problems = answers.stream().filter(a -> a.problem() != null)
                    .map(a -> a.problem() + " (release " + a.release() + ")").toList();
            assertThat(problems).as("failed or inconsistent answers").isEmpty();
            assertThat(answers.size()).isGreaterThan(200);
            Set<String> seen = new java.util.TreeSet<>();
            for (Answer a : answers) {
                seen.add(a.release());
                assertLiveAroundThen(a, order, publishedAt);
            }
            assertThat(seen.size()).as("releases that answered").isGreaterThanOrEqualTo(SWAPS / 2);

            String last = order.get(order.size() - 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.openReleases() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.openReleases()).as("releases open after the last switch").isEqualTo(1);
            // Lucene and FAISS free their files on close; core's ChunkStore maps chunks.dat/.idx with
            // MappedByteBuffer, which Java 17 unmaps only when the buffer is garbage-collected. A GC therefore
            // must release every old mapping - unless something still references a closed release, which
            // is the leak this checks for.
            ProcessFiles after = ProcessFiles.snapshot(root);
            int collections = 0;
            while (!after.outside(root, last).isEmpty() && collections < 10) {
                System.gc();
                Thread.sleep(200);
                collections++;
                after = ProcessFiles.snapshot(root);
            }
            assertThat(after.outside(root, last)).as("files of old releases still open or mapped").isEmpty();
            assertThat(after.releaseIds(root)).containsOnly(last);
            assertThat(after.descriptors()).as("descriptors before %d, after %d", before.descriptors(), after.descriptors())
                    .isLessThanOrEqualTo(before.descriptors() + 16);
            assertThat(server.metrics().scrape()).contains("docsearch_reload_failures_total 0.0");

            long max = switchMillis.stream().mapToLong(Long::longValue).max().orElse(0);
            List<Long> sorted = switchMillis.stream().sorted().toList();
            log.info("switch-under-load: swaps={} answers={} releases_answering={} switch_ms_median={} switch_ms_max={} "
                            + "fds_before={} fds_after={} gc_to_unmap={} rss_kb={}", SWAPS, answers.size(), seen.size(),
                    sorted.get(sorted.size() / 2), max, before.descriptors(), after.descriptors(), collections, rssKb());
        }
    }

    private static Answer ask(HttpProbe http, String q, String mode, Map<String, Integer> generationOf) {
        long start = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = http.get("/api/search?q=" + HttpProbe.encode(q) + "&mode=" + mode);
        } catch (RuntimeException e) {
            return new Answer(start, System.nanoTime(), null, "request failed: " + e);
        }
        long end = System.nanoTime();
        if (r.statusCode() != 200) {
            return new Answer(start, end, null, "status " + r.statusCode() + ": " + r.body());
        }
        JsonNode body = HttpProbe.json(r);
        String release = body.path("release").asText(null);
        Integer generation = release == null ? null : generationOf.get(release);
        if (generation == null) {
            return new Answer(start, end, release, "answer names an unknown release");
        }
        if (q.startsWith("zebrafish") && mode.equals("keyword")) {
            JsonNode results = body.get("results");
            String expected = "marker-guide/gen-" + generation;
            if (results.size() != 1 || !results.get(0).get("id").asText().equals(expected)) {
                return new Answer(start, end, release, "content of another release: " + results + " expected " + expected);
            }
        }
        return new Answer(start, end, release, null);
    }

    /**
     * The answering release was published before the answer arrived, and its successor (if any) was not
     * published long before the request began.
     */
    private static void assertLiveAroundThen(Answer a, List<String> order, Map<String, Long> publishedAt) {
        int i = order.indexOf(a.release());
        assertThat(publishedAt.get(a.release())).as("release %s published before its answer", a.release())
                .isLessThanOrEqualTo(a.endNanos());
        if (i + 1 < order.size()) {
            long successor = publishedAt.get(order.get(i + 1));
            assertThat(successor).as("release %s answered %d ms after its successor was published", a.release(),
                            (a.startNanos() - successor) / 1_000_000)
                    .isGreaterThanOrEqualTo(a.startNanos() - MAX_SWITCH.toNanos());
        }
    }

    private static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
