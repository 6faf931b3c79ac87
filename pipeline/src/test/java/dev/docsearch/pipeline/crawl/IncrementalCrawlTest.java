package dev.docsearch.pipeline.crawl;

import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.extract.MarkdownPages;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import dev.docsearch.pipeline.fixture.SamplePages;
import dev.docsearch.pipeline.http.HttpSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crawl of the loopback docs site: a first crawl through a sitemap index of gzip sitemaps
 * with faults on the way, then incremental crawls that fetch only what changed (request counts
 * prove it) and report exactly which pages were added, changed and removed.
 */
class IncrementalCrawlTest {

    /**
     * No polite delay, short backoff; generous timeouts, so that a loaded machine never turns a slow answer into a
     * retry (the tests count requests). No test here depends on a timeout firing.
     */
    static final CrawlSettings FAST = CrawlSettings.defaults().withHttp(HttpSettings.defaults()
            .withPoliteDelay(Duration.ZERO)
            .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(200))
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)));

    private static final String CDK = "aws-cdk-guide";
    private static final String S3 = "amazon-s3-userguide";
    private static final String VPC = "amazon-vpc-user-guide";

    @Test
    void firstCrawlThenOnlyWhatChangedIsFetched(@TempDir Path root) throws Exception {
        Path awsdocs = DocsSiteFixture.requireAwsdocs();
        // All the pages the bundled sample holds of both guides (30 and 20): the same site with either corpus.
        try (DocsSiteFixture site = DocsSiteFixture.builder(awsdocs)
                .pages(SamplePages.first(S3, 30)).pages(SamplePages.first(VPC, 20))
                .withoutLastmod(VPC).gzipSitemaps(true).start()) {
            List<String> s3 = site.pagesByGuide().get(S3);
            List<String> vpc = site.pagesByGuide().get(VPC);
            String missing = s3.get(3);
            site.notFound(missing);
            site.slow(s3.get(4), Duration.ofMillis(300));
            site.failFirst(site.pagePath(s3.get(5)), 2, 500);
            site.tooManyRequests(site.pagePath(s3.get(6)), 1, 1);
            Crawler crawler = new Crawler(FAST);

            // 1. First crawl: everything but the 404 arrives, with ids of the markdown sources.
            CrawlResult first;
            try (CorpusStore store = CorpusStore.open(root)) {
                first = crawler.crawl(List.of(site.sitemapIndexUrl()), store);
            }
            assertThat(first.pages()).hasSize(49);
            assertThat(first.added()).hasSize(49).contains(s3.get(0), vpc.get(0), s3.get(4), s3.get(5), s3.get(6))
                    .doesNotContain(missing);
            assertThat(first.changed()).isEmpty();
            assertThat(first.removed()).isEmpty();
            assertThat(first.stats().gone()).isEqualTo(1);
            assertThat(first.stats().failed()).isZero();
            assertThat(first.stats().fetched()).isEqualTo(49);
            assertThat(site.pageRequests(s3.get(0))).isEqualTo(1);
            assertThat(site.pageRequests(s3.get(5))).isEqualTo(3);
            assertThat(site.pageRequests(s3.get(6))).isEqualTo(2);
            assertThat(site.requestCount(site.sitemapPath(S3) + ".gz")).isEqualTo(1);
            assertThat(site.maxConcurrentRequests()).isBetween(2, 4); // parallel, but 4 per host at most
            sameAsTheMarkdownSources(first.pages(), awsdocs, site);

            // 2. Nothing changed: lastmod spares every S3 page; VPC (no lastmod) gets conditional GETs.
            site.clearFaults();
            site.notFound(missing);
            site.resetCounts();
            CrawlResult second;
            try (CorpusStore store = CorpusStore.open(root)) {
                second = crawler.crawl(List.of(site.sitemapIndexUrl()), store);
            }
            assertThat(second.hasChanges()).isFalse();
            assertThat(second.unchanged()).hasSize(49);
            assertThat(second.stats().skippedByLastmod()).isEqualTo(29);
            assertThat(second.stats().notModified()).isEqualTo(20);
            assertThat(site.notModifiedCount()).isEqualTo(20);
            assertThat(site.totalPageRequests()).isEqualTo(20 + 1); // the VPC pages, and the 404 page again
            assertThat(second.pages()).containsExactlyElementsOf(first.pages());

            // 3. Two S3 pages edited, one touched (lastmod moves, text does not), one VPC page
            //    edited, one S3 page deleted, one added.
            site.modifyPage(s3.get(10), md -> md + "\nA paragraph about quokkas was added.\n");
            site.modifyPage(s3.get(11), md -> md.replaceFirst("\\n## ", "\n## Renamed "));
            site.touchPage(s3.get(12));
            site.modifyPage(vpc.get(7), md -> md + "\nVPC pages gained a note about wombats.\n");
            site.deletePage(s3.get(13));
            String added = S3 + "/brand-new-page";
            site.addPage(added, "# A brand new page<a name=\"new\"></a>\n\nFresh text\\.\n\n## Details\n\nMore\\.\n");
            site.resetCounts();
            CrawlResult third;
            try (CorpusStore store = CorpusStore.open(root)) {
                third = crawler.crawl(List.of(site.sitemapIndexUrl()), store);
            }
            assertThat(third.added()).containsExactly(added);
            assertThat(third.changed()).containsExactlyInAnyOrder(s3.get(10), s3.get(11), vpc.get(7));
            assertThat(third.removed()).containsExactly(s3.get(13));
            assertThat(third.unchanged()).hasSize(49 - 3 - 1).contains(s3.get(12));
            Map<String, Integer> s3Requests = s3.stream().filter(id -> site.pageRequests(id) > 0)
                    .collect(Collectors.toMap(Function.identity(), site::pageRequests));
            assertThat(s3Requests).containsOnlyKeys(s3.get(10), s3.get(11), s3.get(12), missing)
                    .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(site.pageRequests(added)).isEqualTo(1);
            assertThat(site.notModifiedCount()).isEqualTo(19);
            assertThat(site.totalPageRequests()).isEqualTo(4 + 1 + 20);

            Map<String, Page> byId = third.pages().stream().collect(Collectors.toMap(Page::id, p -> p));
            assertThat(byId).hasSize(49).doesNotContainKey(s3.get(13));
            assertThat(text(byId.get(s3.get(10)))).contains("A paragraph about quokkas was added.");
            assertThat(text(byId.get(vpc.get(7)))).contains("VPC pages gained a note about wombats.");
            assertThat(byId.get(added).title()).isEqualTo("A brand new page");
            assertThat(byId.get(added).sections()).extracting(Page.Section::text).containsExactly("Fresh text.", "More.");
            assertThat(byId.get(added).url()).isEqualTo(site.pageUrl(added));

            // The committed corpus is what the crawl returned, and a fourth crawl finds nothing to do.
            try (CorpusStore store = CorpusStore.open(root)) {
                assertThat(store.committed()).hasSize(49);
                assertThat(store.committedPages()).containsExactlyInAnyOrderElementsOf(third.pages());
                assertThat(store.pending()).isEmpty();
            }
            site.resetCounts();
            try (CorpusStore store = CorpusStore.open(root)) {
                assertThat(crawler.crawl(List.of(site.sitemapIndexUrl()), store).hasChanges()).isFalse();
            }
            assertThat(site.totalPageRequests()).isEqualTo(20 + 1);
        }
    }

    @Test
    void pageLimitMakesAQuickFirstRunAndNeverRemovesWhatItLeftOut(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs()).guide(CDK, 12).start();
             CorpusStore store = CorpusStore.open(root)) {
            String sitemap = site.sitemapUrl(CDK);
            CrawlResult quick = new Crawler(FAST.withMaxPages(5)).crawl(List.of(sitemap), store);
            assertThat(quick.pages()).hasSize(5);
            assertThat(quick.stats().beyondLimit()).isEqualTo(7);
            assertThat(site.totalPageRequests()).isEqualTo(5);

            CrawlResult full = new Crawler(FAST).crawl(List.of(sitemap), store);
            assertThat(full.added()).hasSize(7);
            assertThat(full.unchanged()).hasSize(5);
            assertThat(site.totalPageRequests()).isEqualTo(12);

            CrawlResult limitedAgain = new Crawler(FAST.withMaxPages(5)).crawl(List.of(sitemap), store);
            assertThat(limitedAgain.removed()).isEmpty();
            assertThat(limitedAgain.pages()).hasSize(12);
            assertThat(site.totalPageRequests()).isEqualTo(12);
        }
    }

    @Test
    void pagesRobotsTxtForbidsAreNeverRequested(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs()).guide(CDK, 6).start();
             CorpusStore store = CorpusStore.open(root)) {
            String forbidden = site.pageIds().get(2);
            site.robots("User-agent: *\nDisallow: /\n\nUser-agent: docsearch\nDisallow: " + site.pagePath(forbidden) + "\n");
            CrawlResult result = new Crawler(FAST).crawl(List.of(site.sitemapUrl(CDK)), store);

            assertThat(result.added()).hasSize(5).doesNotContain(forbidden);
            assertThat(result.stats().gone()).isEqualTo(1);
            assertThat(site.pageRequests(forbidden)).isZero();
            assertThat(site.totalPageRequests()).isEqualTo(5);
        }
    }

    @Test
    void localFolderCrawlIsIncrementalToo(@TempDir Path root, @TempDir Path docs) throws Exception {
        Files.createDirectories(docs.resolve("guide"));
        for (int i = 0; i < 6; i++) {
            Files.writeString(docs.resolve("guide/page" + i + ".md"), "# Page " + i + "\n\nText " + i + "\\.\n");
        }
        Crawler crawler = new Crawler(FAST.withMaxRemovedShare(0.5));
        List<String> sources = List.of("dir:" + docs);
        try (CorpusStore store = CorpusStore.open(root)) {
            CrawlResult first = crawler.crawl(sources, store);
            assertThat(first.added()).hasSize(6);
            assertThat(first.pages().get(0).sections().get(0).text()).isEqualTo("Text 0.");

            CrawlResult again = crawler.crawl(sources, store);
            assertThat(again.stats().fetched()).isZero();
            assertThat(again.stats().skippedByLastmod()).isEqualTo(6);

            Files.writeString(docs.resolve("guide/page1.md"), "# Page 1\n\nText one, rewritten.\n");
            Files.setLastModifiedTime(docs.resolve("guide/page2.md"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            Files.delete(docs.resolve("guide/page3.md"));
            Files.writeString(docs.resolve("guide/page9.md"), "# Page 9\n\nNew.\n");
            Files.setLastModifiedTime(docs.resolve("guide/page1.md"),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 120_000));
            CrawlResult third = crawler.crawl(sources, store);
            assertThat(third.changed()).containsExactly("guide/page1");
            assertThat(third.added()).containsExactly("guide/page9");
            assertThat(third.removed()).containsExactly("guide/page3");
            assertThat(third.unchanged()).containsExactlyInAnyOrder("guide/page0", "guide/page2", "guide/page4", "guide/page5");
            assertThat(third.stats().fetched()).isEqualTo(3); // page1, page2 (touched), page9
        }
    }

    /** The crawled HTML pages carry the same titles and sections as their markdown sources. */
    private static void sameAsTheMarkdownSources(List<Page> crawled, Path awsdocs, DocsSiteFixture site) throws Exception {
        MarkdownPages markdown = new MarkdownPages();
        int sameText = 0;
        for (Page page : crawled) {
            Page local = markdown.toPage(page.id(), page.url(), page.guide(),
                    Files.readString(awsdocs.resolve(page.id() + ".md")));
            assertThat(page.title()).as(page.id()).isEqualTo(local.title());
            assertThat(page.sections()).as(page.id()).extracting(Page.Section::headingPath)
                    .isEqualTo(local.sections().stream().map(Page.Section::headingPath).toList());
            assertThat(page.url()).isEqualTo(site.pageUrl(page.id()));
            if (page.sections().equals(local.sections())) {
                sameText++;
            }
        }
        // Lists, tables and code come out alike from HTML and from markdown (over all 4,162 pages,
        // 37 differ, where the sources hold raw HTML or over-indented prose; none of these 49).
        assertThat(sameText).isEqualTo(crawled.size());
    }

    private static String text(Page page) {
        return page.sections().stream().map(Page.Section::text).collect(Collectors.joining("\n"));
    }
}
