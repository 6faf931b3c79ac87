package dev.docsearch.pipeline.crawl;

import dev.docsearch.pipeline.corpus.CorpusStore;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import dev.docsearch.pipeline.fixture.DocsSiteFixture.SitemapFault;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broken sitemap must never empty the index: a crawl whose sitemaps fail, or that would remove
 * more than the allowed share of pages, aborts with a clear message and leaves the corpus
 * byte for byte as it was.
 */
class RemovalGuardTest {

    private static final String CDK = "aws-cdk-guide";
    private static final String LAMBDA = "aws-lambda-developer-guide";

    @TempDir
    Path root;
    private DocsSiteFixture site;
    private List<String> sources;

    @BeforeEach
    void firstCrawl() throws Exception {
        site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs()).guide(CDK, 10).guide(LAMBDA, 10).start();
        sources = List.of(site.sitemapIndexUrl());
        try (CorpusStore store = CorpusStore.open(root)) {
            assertThat(new Crawler(IncrementalCrawlTest.FAST).crawl(sources, store).pages()).hasSize(20);
        }
        site.resetCounts();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @ParameterizedTest
    @EnumSource(value = SitemapFault.class, names = {"HTTP_500", "GARBAGE", "HTML_ERROR_PAGE"})
    void aFailingGuideSitemapAbortsBeforeAnythingIsFetched(SitemapFault fault) throws Exception {
        Map<String, String> before = snapshot();
        site.sitemapFault(LAMBDA, fault);
        site.modifyPage(site.pagesByGuide().get(CDK).get(0), md -> md + "\nChanged.\n");

        assertCrawlAborts(sources)
                .hasMessageStartingWith("crawl aborted, corpus left unchanged: source " + site.sitemapIndexUrl()
                        + " could not be listed: sitemap " + site.sitemapUrl(LAMBDA))
                .hasMessageContaining(switch (fault) {
                    case HTTP_500 -> "HTTP 500 after 3 attempts";
                    case GARBAGE -> "is not a valid sitemap: not well-formed XML";
                    case HTML_ERROR_PAGE -> "is not a valid sitemap: root element <html> is neither <urlset> nor <sitemapindex>";
                    case NONE -> throw new AssertionError();
                });
        assertThat(site.totalPageRequests()).isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aFailingSitemapIndexAbortsToo() throws Exception {
        Map<String, String> before = snapshot();
        site.sitemapFault(null, SitemapFault.GARBAGE);
        assertCrawlAborts(sources)
                .hasMessageContaining("sitemap " + site.sitemapIndexUrl() + " is not a valid sitemap");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void removingMoreThanTheAllowedShareAbortsUnlessAllowed() throws Exception {
        Map<String, String> before = snapshot();
        List<String> deleted = site.pagesByGuide().get(LAMBDA).subList(0, 5);
        for (String page : deleted) {
            site.deletePage(page);
        }
        assertCrawlAborts(sources)
                .hasMessage("crawl aborted, corpus left unchanged: it would remove 5 of 20 pages (25.0%, gone from"
                        + " the sources' listings), more than the allowed 20.0% (raise the maximum removed share to accept)");
        assertThat(site.totalPageRequests()).isZero();
        assertThat(snapshot()).isEqualTo(before);

        try (CorpusStore store = CorpusStore.open(root)) {
            CrawlResult accepted = new Crawler(IncrementalCrawlTest.FAST.withMaxRemovedShare(0.3)).crawl(sources, store);
            assertThat(accepted.removed()).containsExactlyInAnyOrderElementsOf(deleted);
            assertThat(accepted.pages()).hasSize(15);
        }
    }

    @Test
    void pagesAnswering404CountTowardsTheShare() throws Exception {
        Map<String, String> before = snapshot();
        for (String page : site.pagesByGuide().get(CDK).subList(0, 5)) {
            site.notFound(page);
            site.touchPage(page); // lastmod moves, so the crawler asks, and gets a 404
        }
        assertCrawlAborts(sources)
                .hasMessageContaining("it would remove 5 of 20 pages (25.0%, gone from the listings or gone when fetched: 404/410, robots.txt)");
        assertThat(site.totalPageRequests()).isEqualTo(5);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aMissingFolderAbortsAsWell() throws Exception {
        Map<String, String> before = snapshot();
        assertCrawlAborts(List.of(site.sitemapIndexUrl(), "dir:" + root.resolve("no-such-folder")))
                .hasMessageContaining("no-such-folder: folder does not exist");
        assertThat(snapshot()).isEqualTo(before);
    }

    /** Crawls {@code crawled} into the corpus, which must abort as a {@link CrawlAbortedException}: callers check why. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertCrawlAborts(List<String> crawled) throws Exception {
        try (CorpusStore store = CorpusStore.open(root)) {
            return assertThatThrownBy(() -> new Crawler(IncrementalCrawlTest.FAST).crawl(crawled, store))
                    .isInstanceOf(CrawlAbortedException.class);
        }
    }

    /** Every file under corpus/ with its bytes (Base64). */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        Path corpus = root.resolve("corpus");
        try (Stream<Path> s = Files.walk(corpus)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(corpus.relativize(p).toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return files;
    }
}
