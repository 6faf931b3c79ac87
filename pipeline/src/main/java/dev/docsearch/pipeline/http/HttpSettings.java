package dev.docsearch.pipeline.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * How politely and patiently {@link HttpFetcher} talks to servers.
 *
 * @param userAgent             the User-Agent header; its first token (before {@code /}) is the name
 *                              robots.txt groups are matched against
 * @param maxConcurrencyPerHost requests in flight to one host at a time
 * @param politeDelay           minimum time between the starts of two requests to one host
 *                              (robots.txt {@code Crawl-delay} raises it, up to {@link #MAX_CRAWL_DELAY})
 * @param connectTimeout        TCP/TLS connect timeout
 * @param requestTimeout        time allowed for one request, headers and body
 * @param maxAttempts           tries per URL for 429, 5xx and network failures (1 = no retry)
 * @param backoffBase           the first retry waits about this long, each further one twice as long
 * @param backoffMax            cap of one backoff wait
 * @param maxRetryAfter         longest {@code Retry-After} honoured; a server asking for more fails the URL
 * @param maxRedirects          redirects followed per URL (only within the same site)
 */
public record HttpSettings(String userAgent, int maxConcurrencyPerHost, Duration politeDelay,
                           Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                           Duration backoffBase, Duration backoffMax, Duration maxRetryAfter,
                           int maxRedirects) {

    /** Where to learn about the crawler; part of the default User-Agent. */
    public static final String CONTACT_URL = "https://github.com/docsearch/docsearch";
    /** robots.txt Crawl-delay values above this are capped (a weekly job must finish). */
    public static final Duration MAX_CRAWL_DELAY = Duration.ofSeconds(10);

    public HttpSettings {
        Objects.requireNonNull(userAgent, "userAgent");
        if (userAgent.isBlank()) {
            throw new IllegalArgumentException("userAgent must not be blank");
        }
        if (maxConcurrencyPerHost < 1) {
            throw new IllegalArgumentException("maxConcurrencyPerHost must be >= 1, got " + maxConcurrencyPerHost);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be >= 0, got " + maxRedirects);
        }
        requireNonNegative(politeDelay, "politeDelay");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requireNonNegative(backoffBase, "backoffBase");
        requireNonNegative(backoffMax, "backoffMax");
        requireNonNegative(maxRetryAfter, "maxRetryAfter");
    }

    /**
     * The defaults for crawling a public docs site: User-Agent {@code docsearch/<version>
     * (+CONTACT_URL)}, 4 requests per host, 200 ms between request starts, 10 s connect and 30 s
     * request timeouts, 4 attempts with backoff from 500 ms up to 30 s, Retry-After honoured up to
     * 120 s, 5 redirects.
     */
    public static HttpSettings defaults() {
        return new HttpSettings(defaultUserAgent(), 4, Duration.ofMillis(200), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 4, Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofSeconds(120), 5);
    }

    /** {@code docsearch/<project version> (+CONTACT_URL)}. */
    public static String defaultUserAgent() {
        return "docsearch/" + version() + " (+" + CONTACT_URL + ")";
    }

    /** The project version this jar was built as ("dev" when run from unfiltered classes). */
    public static String version() {
        try (InputStream in = HttpSettings.class.getResourceAsStream("/dev/docsearch/pipeline/version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The product token robots.txt groups are matched against, e.g. {@code docsearch}. */
    public String robotsToken() {
        String token = userAgent.strip();
        int cut = token.length();
        for (char c : new char[] {'/', ' ', '('}) {
            int i = token.indexOf(c);
            if (i > 0) {
                cut = Math.min(cut, i);
            }
        }
        return token.substring(0, cut);
    }

    public HttpSettings withMaxConcurrencyPerHost(int v) {
        return new HttpSettings(userAgent, v, politeDelay, connectTimeout, requestTimeout,
                maxAttempts, backoffBase, backoffMax, maxRetryAfter, maxRedirects);
    }

    public HttpSettings withPoliteDelay(Duration v) {
        return new HttpSettings(userAgent, maxConcurrencyPerHost, v, connectTimeout, requestTimeout,
                maxAttempts, backoffBase, backoffMax, maxRetryAfter, maxRedirects);
    }

    public HttpSettings withTimeouts(Duration connect, Duration request) {
        return new HttpSettings(userAgent, maxConcurrencyPerHost, politeDelay, connect, request,
                maxAttempts, backoffBase, backoffMax, maxRetryAfter, maxRedirects);
    }

    public HttpSettings withRetries(int attempts, Duration base, Duration max) {
        return new HttpSettings(userAgent, maxConcurrencyPerHost, politeDelay, connectTimeout, requestTimeout,
                attempts, base, max, maxRetryAfter, maxRedirects);
    }

    public HttpSettings withMaxRetryAfter(Duration v) {
        return new HttpSettings(userAgent, maxConcurrencyPerHost, politeDelay, connectTimeout, requestTimeout,
                maxAttempts, backoffBase, backoffMax, v, maxRedirects);
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
