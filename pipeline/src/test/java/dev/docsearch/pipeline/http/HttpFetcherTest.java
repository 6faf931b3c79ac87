package dev.docsearch.pipeline.http;

import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HttpFetcher against the loopback docs site: politeness, retries, redirects, limits, robots.txt. */
class HttpFetcherTest {

    private static DocsSiteFixture site;
    private static List<String> ids;

    /**
     * Fast settings: no polite delay, short backoff. The timeouts stay generous: a loaded machine must not turn a
     * slow answer into a retry that changes the request counts (the test of timeouts sets its own).
     */
    private static final HttpSettings FAST = HttpSettings.defaults()
            .withPoliteDelay(Duration.ZERO)
            .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(200))
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));

    @BeforeAll
    static void startSite() throws Exception {
        site = DocsSiteFixture.builder(DocsSiteFixture.requireAwsdocs()).guide("aws-cdk-guide", 16).start();
        ids = site.pageIds();
    }

    @AfterAll
    static void stopSite() {
        if (site != null) {
            site.close();
        }
    }

    @BeforeEach
    void reset() throws InterruptedException {
        site.clearFaults();
        site.robots(DocsSiteFixture.DEFAULT_ROBOTS);
        // Answers an earlier test gave up on (its timeouts) may still be sleeping: each test starts on an idle site.
        assertThat(site.awaitIdle(Duration.ofSeconds(30)))
                .as("requests of an earlier test still in flight: %d", site.requestsInFlight()).isTrue();
        site.resetCounts();
    }

    private static URI page(int i) {
        return URI.create(site.pageUrl(ids.get(i)));
    }

    private static String path(int i) {
        return site.pagePath(ids.get(i));
    }

    @Test
    void identifiesItselfAndAsksConditionally() throws Exception {
        HttpFetcher fetcher = new HttpFetcher(FAST);
        FetchResponse first = fetcher.get(page(0), Validators.NONE, 1 << 20);

        assertThat(first.status()).isEqualTo(200);
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).contains("id=\"main-col-body\"");
        assertThat(first.validators().etag()).isNotNull();
        assertThat(first.validators().lastModified()).isNotNull();
        assertThat(site.userAgents()).singleElement().asString()
                .matches("docsearch/\\S+ \\(\\+https?://\\S+\\)");

        FetchResponse byEtag = fetcher.get(page(0), first.validators(), 1 << 20);
        FetchResponse bySince = fetcher.get(page(0), new Validators(null, first.validators().lastModified()), 1 << 20);
        assertThat(byEtag.isNotModified()).isTrue();
        assertThat(bySince.isNotModified()).isTrue();
        assertThat(byEtag.body()).isEmpty();
        assertThat(site.notModifiedCount()).isEqualTo(2);

        FetchResponse stale = fetcher.get(page(0), new Validators("\"other\"", null), 1 << 20);
        assertThat(stale.status()).isEqualTo(200);
    }

    @Test
    void retriesA500ThatRecovers() throws Exception {
        site.failFirst(path(1), 2, 500);
        HttpFetcher fetcher = new HttpFetcher(FAST);

        FetchResponse r = fetcher.get(page(1), Validators.NONE, 1 << 20);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(site.requestCount(path(1))).isEqualTo(3);
        assertThat(fetcher.retryCount()).isEqualTo(2);
    }

    @Test
    void givesUpAfterMaxAttempts() {
        site.failFirst(path(2), 100, 503);
        HttpFetcher fetcher = new HttpFetcher(FAST);

        assertThatThrownBy(() -> fetcher.get(page(2), Validators.NONE, 1 << 20))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FetchException.Reason.HTTP_STATUS))
                .hasMessageEndingWith("HTTP 503 after 3 attempts");
        assertThat(site.requestCount(path(2))).isEqualTo(3);
    }

    @Test
    void clientErrorsAreAnswersNotRetries() throws Exception {
        site.notFound(ids.get(3));
        HttpFetcher fetcher = new HttpFetcher(FAST);

        FetchResponse r = fetcher.get(page(3), Validators.NONE, 1 << 20);

        assertThat(r.status()).isEqualTo(404);
        assertThat(site.requestCount(path(3))).isEqualTo(1);
    }

    @Test
    void honoursRetryAfter() throws Exception {
        site.tooManyRequests(path(4), 1, 1);
        HttpFetcher fetcher = new HttpFetcher(FAST);

        long start = System.nanoTime();
        FetchResponse r = fetcher.get(page(4), Validators.NONE, 1 << 20);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.status()).isEqualTo(200);
        assertThat(site.requestCount(path(4))).isEqualTo(2);
        // Backoff alone would wait at most 20 ms; the server asked for a second.
        assertThat(waitedMs).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void refusesARetryAfterLongerThanAllowed() {
        site.tooManyRequests(path(4), 1, 600);
        HttpFetcher fetcher = new HttpFetcher(FAST.withMaxRetryAfter(Duration.ofSeconds(120)));

        assertThatThrownBy(() -> fetcher.get(page(4), Validators.NONE, 1 << 20))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("HTTP 429 with Retry-After 600 s, more than the 120 s allowed");
        assertThat(site.requestCount(path(4))).isEqualTo(1);
    }

    @Test
    void timeoutsAreRetriedThenReported() throws Exception {
        site.slow(ids.get(5), Duration.ofSeconds(3));
        HttpFetcher impatient = new HttpFetcher(FAST.withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(400)));

        assertThatThrownBy(() -> impatient.get(page(5), Validators.NONE, 1 << 20))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FetchException.Reason.NETWORK))
                .hasMessageContaining("after 2 attempts");
        assertThat(site.requestCount(path(5))).isEqualTo(2);

        site.slow(ids.get(5), Duration.ofMillis(300));
        assertThat(new HttpFetcher(FAST).get(page(5), Validators.NONE, 1 << 20).status()).isEqualTo(200);
    }

    @Test
    void followsRedirectsWithinTheSiteOnly() throws Exception {
        HttpFetcher fetcher = new HttpFetcher(FAST);
        site.redirect("/moved/a.html", path(6));
        site.redirect("/moved/b.html", "/moved/a.html");

        FetchResponse r = fetcher.get(URI.create(site.baseUrl() + "/moved/b.html"), Validators.NONE, 1 << 20);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.finalUri()).isEqualTo(page(6));
        assertThat(r.requested()).isEqualTo(URI.create(site.baseUrl() + "/moved/b.html"));

        site.redirect("/away.html", site.otherSiteBaseUrl() + path(7));
        assertThatThrownBy(() -> fetcher.get(URI.create(site.baseUrl() + "/away.html"), Validators.NONE, 1 << 20))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FetchException.Reason.OFF_SITE_REDIRECT))
                .hasMessageContaining("redirect to another site refused: http://localhost:");
        assertThat(site.requestCount(path(7))).isZero();

        site.redirect("/loop1.html", "/loop2.html");
        site.redirect("/loop2.html", "/loop1.html");
        assertThatThrownBy(() -> fetcher.get(URI.create(site.baseUrl() + "/loop1.html"), Validators.NONE, 1 << 20))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FetchException.Reason.BAD_REDIRECT))
                .hasMessageContaining("more than 5 redirects");
        assertThat(site.requestCount("/loop1.html") + site.requestCount("/loop2.html")).isEqualTo(6);
    }

    @Test
    void sameSiteMeansSameHostAndPortOrAnUpgradeToHttps() {
        assertThat(HttpFetcher.sameSite(URI.create("https://a.com/x"), URI.create("https://A.com:443/y"))).isTrue();
        assertThat(HttpFetcher.sameSite(URI.create("http://a.com/x"), URI.create("https://a.com/y"))).isTrue();
        assertThat(HttpFetcher.sameSite(URI.create("https://a.com/x"), URI.create("http://a.com/y"))).isFalse();
        assertThat(HttpFetcher.sameSite(URI.create("https://a.com/x"), URI.create("https://b.a.com/y"))).isFalse();
        assertThat(HttpFetcher.sameSite(URI.create("http://a.com:8080/x"), URI.create("http://a.com:8081/y"))).isFalse();
    }

    @Test
    void refusesBodiesOverTheLimit() throws Exception {
        HttpFetcher fetcher = new HttpFetcher(FAST);
        int size = fetcher.get(page(8), Validators.NONE, 1 << 20).body().length;

        assertThatThrownBy(() -> fetcher.get(page(8), Validators.NONE, size - 1))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FetchException.Reason.TOO_LARGE))
                .hasMessageContaining("exceeds the limit of " + (size - 1) + " bytes");
        assertThat(fetcher.get(page(8), Validators.NONE, size).body()).hasSize(size);
        // Too large is not a transient failure: no retries.
        assertThat(site.requestCount(path(8))).isEqualTo(3);
    }

    @Test
    void obeysRobotsTxtForOurNameAndReadsItOnce() throws Exception {
        site.robots("User-agent: *\nDisallow: /\n\nUser-agent: docsearch\nDisallow: " + path(9) + "\n");
        HttpFetcher fetcher = new HttpFetcher(FAST);

        assertThatThrownBy(() -> fetcher.get(page(9), Validators.NONE, 1 << 20))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FetchException.Reason.ROBOTS_DISALLOWED));
        assertThat(fetcher.get(page(10), Validators.NONE, 1 << 20).status()).isEqualTo(200);
        assertThat(fetcher.get(page(11), Validators.NONE, 1 << 20).status()).isEqualTo(200);
        assertThat(site.requestCount(path(9))).isZero();
        assertThat(site.requestCount("/robots.txt")).isEqualTo(1);
    }

    @Test
    void robotsTxtThatFailsBlocksTheSiteAndAMissingOneAllowsIt() throws Exception {
        site.failFirst("/robots.txt", 100, 500);
        HttpFetcher blocked = new HttpFetcher(FAST);
        assertThatThrownBy(() -> blocked.get(page(12), Validators.NONE, 1 << 20))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FetchException.Reason.ROBOTS_UNAVAILABLE))
                .hasMessageContaining("robots.txt unavailable");
        assertThatThrownBy(() -> blocked.get(page(13), Validators.NONE, 1 << 20))
                .isInstanceOf(FetchException.class);
        assertThat(site.requestCount(path(12)) + site.requestCount(path(13))).isZero();
        assertThat(site.requestCount("/robots.txt")).isEqualTo(3); // one fetch, with its retries, for the whole site

        site.clearFaults();
        site.robots(null);
        assertThat(new HttpFetcher(FAST).get(page(12), Validators.NONE, 1 << 20).status()).isEqualTo(200);
    }

    @Test
    void boundsConcurrencyPerHost() throws Exception {
        // Slow enough that three requests in flight meet at the server even on a busy single core.
        for (int i = 0; i < 12; i++) {
            site.slow(ids.get(i), Duration.ofMillis(300));
        }
        HttpFetcher fetcher = new HttpFetcher(FAST.withMaxConcurrencyPerHost(3));
        fetcher.get(page(15), Validators.NONE, 1 << 20); // robots.txt read before the burst
        site.resetCounts();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<FetchResponse>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                URI uri = page(i);
                futures.add(pool.submit(() -> fetcher.get(uri, Validators.NONE, 1 << 20)));
            }
            for (Future<FetchResponse> f : futures) {
                assertThat(f.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(site.maxConcurrentRequests()).isEqualTo(3);
    }

    @Test
    void spacesRequestStartsByThePoliteDelayOrTheCrawlDelay() throws Exception {
        // The first request starts the spacing; of the next four, the last starts 3 delays after the second.
        HttpFetcher polite = new HttpFetcher(FAST.withPoliteDelay(Duration.ofMillis(150)));
        polite.get(page(14), Validators.NONE, 1 << 20);
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            polite.get(page(14), Validators.NONE, 1 << 20);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(3 * 150);

        site.robots("User-agent: *\nCrawl-delay: 0.3\n");
        HttpFetcher delayed = new HttpFetcher(FAST);
        delayed.get(page(14), Validators.NONE, 1 << 20);
        start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            delayed.get(page(14), Validators.NONE, 1 << 20);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(2 * 300);
    }

    @Test
    void backoffGrowsWithJitterAndRetryAfterParses() {
        for (int attempt = 1; attempt <= 6; attempt++) {
            long full = Math.min(100L << (attempt - 1), 1000);
            for (int i = 0; i < 50; i++) {
                long d = Backoff.delay(attempt, Duration.ofMillis(100), Duration.ofMillis(1000)).toMillis();
                assertThat(d).isBetween(full / 2, full);
            }
        }
        Instant now = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(Backoff.retryAfter("7", now)).contains(Duration.ofSeconds(7));
        assertThat(Backoff.retryAfter(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                now.plusSeconds(30).atZone(ZoneOffset.UTC)), now)).contains(Duration.ofSeconds(30));
        assertThat(Backoff.retryAfter("Mon, 01 Jan 2001 00:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(Backoff.retryAfter("soon", now)).isEmpty();
        assertThat(Backoff.retryAfter(null, now)).isEmpty();
    }
}
