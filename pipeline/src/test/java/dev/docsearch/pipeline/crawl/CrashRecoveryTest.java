package dev.docsearch.pipeline.crawl;

import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import dev.docsearch.pipeline.fixture.SamplePages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A crawl that dies half way loses nothing it fetched: the next crawl finds those pages in the
 * journal and does not fetch them again, while the committed corpus stays as it was until then.
 */
class CrashRecoveryTest {

    /** The guide the bundled sample holds most pages of: all of them are served, the same with either corpus. */
    private static final String GUIDE = "amazon-s3-userguide";
    private static final int PAGES = 30;

    @Test
    void aCrawlThatFailsHalfWayIsResumedNotRedone(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs())
                .pages(SamplePages.first(GUIDE, PAGES)).start()) {
            List<String> sources = List.of(site.sitemapUrl(GUIDE));
            try (CorpusStore store = CorpusStore.open(root)) {
                assertThatThrownBy(() -> new Crawler(IncrementalCrawlTest.FAST).crawl(sources, store, (done, total) -> {
                    if (done == 15) {
                        throw new IllegalStateException("simulated crash after 15 of " + total);
                    }
                })).hasMessage("simulated crash after 15 of " + PAGES);
            }
            assertThat(root.resolve("corpus/index.json")).doesNotExist();
            int journaled = Files.readAllLines(root.resolve("corpus/journal.jsonl")).size();
            assertThat(journaled).isBetween(15, PAGES);

            site.resetCounts();
            CrawlResult resumed;
            try (CorpusStore store = CorpusStore.open(root)) {
                assertThat(store.pending()).hasSize(journaled);
                resumed = new Crawler(IncrementalCrawlTest.FAST).crawl(sources, store);
            }
            assertThat(resumed.added()).hasSize(PAGES);
            assertThat(resumed.stats().resumed()).isEqualTo(journaled);
            assertThat(site.totalPageRequests()).isEqualTo(PAGES - journaled);
            assertThat(root.resolve("corpus/journal.jsonl")).doesNotExist();
        }
    }

    @Test
    void aKilledCrawlProcessLosesNothingItFetched(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs())
                .pages(SamplePages.first(GUIDE, PAGES)).start()) {
            String sitemap = site.sitemapUrl(GUIDE);
            // The child gets 16 pages; its two fetch threads (CrawlProcessMain: 2 per host) then wait for the 17th
            // and 18th. It cannot finish (and commit) before it is killed however fast or slow this machine is, and
            // once both requests have arrived, none is on its way to be counted after the kill.
            site.holdPagesAfter(16);
            Path log = root.resolve("child.log");
            Path journal = root.resolve("artifacts/corpus/journal.jsonl");
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    CrawlProcessMain.class.getName(), root.resolve("artifacts").toString(), sitemap)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while ((journalLines(journal) < 16 || site.totalPageRequests() < 18) && child.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(child.isAlive()).as("child still crawling; its log: %s", log).isTrue();
                assertThat(journalLines(journal)).as("pages journaled by the child; its log: %s", log).isEqualTo(16);
                assertThat(site.totalPageRequests()).as("page requests of the child; its log: %s", log).isEqualTo(18);
            } finally {
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            site.releaseHeldPages();
            Path corpus = root.resolve("artifacts/corpus");
            assertThat(corpus.resolve("index.json")).as("the killed crawl must not have committed").doesNotExist();
            int journaled = Files.readAllLines(corpus.resolve("journal.jsonl")).size();
            assertThat(journaled).isBetween(10, PAGES - 1);

            site.resetCounts();
            CrawlResult resumed;
            try (CorpusStore store = CorpusStore.open(root.resolve("artifacts"))) {
                resumed = new Crawler(IncrementalCrawlTest.FAST).crawl(List.of(sitemap), store);
            }
            assertThat(resumed.pages()).hasSize(PAGES);
            assertThat(resumed.added()).hasSize(PAGES);
            assertThat(resumed.stats().resumed()).isEqualTo(journaled);
            assertThat(site.totalPageRequests()).isEqualTo(PAGES - journaled);
        }
    }

    /** Complete lines in the journal (a line being written does not count yet). */
    private static long journalLines(Path journal) throws java.io.IOException {
        if (!Files.exists(journal)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(journal);
        long lines = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
