package dev.docsearch.pipeline.crawl;

import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A crawl that dies half way loses nothing it fetched: the next crawl finds those pages in the
 * journal and does not fetch them again, while the committed corpus stays as it was until then.
 */
class CrashRecoveryTest {

    private static final String GUIDE = "aws-cdk-guide";

    @Test
    void aCrawlThatFailsHalfWayIsResumedNotRedone(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs()).guide(GUIDE, 40).start()) {
            List<String> sources = List.of(site.sitemapUrl(GUIDE));
            try (CorpusStore store = CorpusStore.open(root)) {
                assertThatThrownBy(() -> new Crawler(IncrementalCrawlTest.FAST).crawl(sources, store, (done, total) -> {
                    if (done == 15) {
                        throw new IllegalStateException("simulated crash after 15 of " + total);
                    }
                })).hasMessage("simulated crash after 15 of 40");
            }
            assertThat(root.resolve("corpus/index.json")).doesNotExist();
            int journaled = Files.readAllLines(root.resolve("corpus/journal.jsonl")).size();
            assertThat(journaled).isBetween(15, 40);

            site.resetCounts();
            CrawlResult resumed;
            try (CorpusStore store = CorpusStore.open(root)) {
                assertThat(store.pending()).hasSize(journaled);
                resumed = new Crawler(IncrementalCrawlTest.FAST).crawl(sources, store);
            }
            assertThat(resumed.added()).hasSize(40);
            assertThat(resumed.stats().resumed()).isEqualTo(journaled);
            assertThat(site.totalPageRequests()).isEqualTo(40 - journaled);
            assertThat(root.resolve("corpus/journal.jsonl")).doesNotExist();
        }
    }

    @Test
    void aKilledCrawlProcessLosesNothingItFetched(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs())
                .guide(GUIDE, 40).pageDelay(Duration.ofMillis(50)).start()) {
            String sitemap = site.sitemapUrl(GUIDE);
            Path log = root.resolve("child.log");
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    CrawlProcessMain.class.getName(), root.resolve("artifacts").toString(), sitemap)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (site.totalPageRequests() < 16 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(child.isAlive()).as("child still crawling; its log: %s", log).isTrue();
            } finally {
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Path corpus = root.resolve("artifacts/corpus");
            assertThat(corpus.resolve("index.json")).as("the killed crawl must not have committed").doesNotExist();
            int journaled = Files.readAllLines(corpus.resolve("journal.jsonl")).size();
            assertThat(journaled).isBetween(10, 39);

            site.resetCounts();
            CrawlResult resumed;
            try (CorpusStore store = CorpusStore.open(root.resolve("artifacts"))) {
                resumed = new Crawler(IncrementalCrawlTest.FAST).crawl(List.of(sitemap), store);
            }
            assertThat(resumed.pages()).hasSize(40);
            assertThat(resumed.added()).hasSize(40);
            assertThat(resumed.stats().resumed()).isEqualTo(journaled);
            assertThat(site.totalPageRequests()).isEqualTo(40 - journaled);
        }
    }
}
