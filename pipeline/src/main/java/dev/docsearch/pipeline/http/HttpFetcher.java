package dev.docsearch.pipeline.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A polite HTTP GET client for crawling, over {@link java.net.http.HttpClient}: an identifying
 * User-Agent; per-host concurrency and spacing ({@link HostThrottle}); connect and request
 * timeouts; retries with exponential backoff and jitter on 429, 5xx and network failures,
 * honouring {@code Retry-After}; a body size limit; redirects followed only within the same site;
 * robots.txt read once per site and obeyed (a robots.txt that cannot be read, 5xx or network,
 * blocks the whole site: RFC 9309's "assume complete disallow"). Conditional requests via
 * {@link Validators}. Thread-safe; one instance per crawl (robots.txt is cached for its lifetime).
 */
public final class HttpFetcher {

    private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);
    private static final long MAX_ROBOTS_BYTES = 512 * 1024;

    private final HttpSettings settings;
    private final HttpClient client;
    private final ConcurrentMap<String, HostThrottle> throttles = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<RobotsRules>> robots = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    public HttpFetcher(HttpSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER) // we follow them, within the site only
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    public HttpSettings settings() {
        return settings;
    }

    /**
     * GETs {@code uri}.
     *
     * @param validators sent as {@code If-None-Match}/{@code If-Modified-Since}; {@link Validators#NONE}
     *                   for an unconditional GET
     * @param maxBytes   the largest body accepted (after gzip decoding)
     * @return a 2xx with its body, a 304, or a 4xx other than 429 (the caller decides what that means)
     * @throws FetchException when robots.txt forbids it, a redirect leaves the site, the body is
     *                        too large, or 429/5xx/network failures outlast the retries
     */
    public FetchResponse get(URI uri, Validators validators, long maxBytes)
            throws FetchException, InterruptedException {
        return get(uri, validators, maxBytes, true);
    }

    /** Requests sent so far, retries included. */
    public long requestCount() {
        return requests.get();
    }

    /** Retries so far. */
    public long retryCount() {
        return retries.get();
    }

    /** Whether {@code b} is on the same site as {@code a}: same host, and same port and scheme or an upgrade to https. */
    public static boolean sameSite(URI a, URI b) {
        if (a.getHost() == null || b.getHost() == null || !a.getHost().equalsIgnoreCase(b.getHost())) {
            return false;
        }
        String sa = a.getScheme().toLowerCase(Locale.ROOT);
        String sb = b.getScheme().toLowerCase(Locale.ROOT);
        if (sa.equals(sb)) {
            return port(a) == port(b);
        }
        return sa.equals("http") && sb.equals("https") && b.getPort() == -1;
    }

    private FetchResponse get(URI uri, Validators validators, long maxBytes, boolean checkRobots)
            throws FetchException, InterruptedException {
        URI current = withoutFragment(uri);
        String scheme = current.getScheme() == null ? "" : current.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || current.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL: " + uri);
        }
        for (int hop = 0; ; hop++) {
            if (checkRobots) {
                requireAllowed(current);
            }
            Exchange ex = exchangeWithRetries(current, validators, maxBytes);
            if (isRedirect(ex.status)) {
                String location = ex.response.headers().firstValue("location").orElse(null);
                if (location == null || location.isBlank()) {
                    throw new FetchException(current, FetchException.Reason.BAD_REDIRECT,
                            "HTTP " + ex.status + " without a Location header");
                }
                URI next;
                try {
                    next = withoutFragment(current.resolve(new URI(location.strip())));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new FetchException(current, FetchException.Reason.BAD_REDIRECT,
                            "HTTP " + ex.status + " to an invalid Location '" + location + "'");
                }
                if (!sameSite(current, next)) {
                    throw new FetchException(uri, FetchException.Reason.OFF_SITE_REDIRECT,
                            "redirect to another site refused: " + next);
                }
                if (hop >= settings.maxRedirects()) {
                    throw new FetchException(uri, FetchException.Reason.BAD_REDIRECT,
                            "more than " + settings.maxRedirects() + " redirects (last to " + next + ")");
                }
                log.debug("redirect {} -> {} (HTTP {})", current, next, ex.status);
                current = next;
                continue;
            }
            return new FetchResponse(uri, current, ex.status, ex.body,
                    ex.response.headers().firstValue("content-type").orElse(null),
                    new Validators(ex.response.headers().firstValue("etag").orElse(null),
                            ex.response.headers().firstValue("last-modified").orElse(null)),
                    ex.attempts);
        }
    }

    private record Exchange(HttpResponse<byte[]> response, int status, byte[] body, int attempts) { }

    private Exchange exchangeWithRetries(URI uri, Validators validators, long maxBytes)
            throws FetchException, InterruptedException {
        HostThrottle throttle = throttleFor(uri);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> response = null;
            IOException failure = null;
            throttle.acquire();
            try {
                response = send(uri, validators, maxBytes);
            } catch (LimitedBodySubscriber.TooLargeException e) {
                throw new FetchException(uri, FetchException.Reason.TOO_LARGE, e.getMessage(), e);
            } catch (IOException e) {
                failure = e;
            } finally {
                throttle.release();
            }
            if (response != null && !isRetryable(response.statusCode())) {
                byte[] body = decode(uri, response, maxBytes);
                return new Exchange(response, response.statusCode(), body, attempt);
            }
            String what = response != null ? "HTTP " + response.statusCode()
                    : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : " " + failure.getMessage());
            if (attempt >= settings.maxAttempts()) {
                if (response != null) {
                    throw new FetchException(uri, FetchException.Reason.HTTP_STATUS,
                            what + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s"));
                }
                throw new FetchException(uri, FetchException.Reason.NETWORK,
                        what + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s"), failure);
            }
            Duration wait = Backoff.delay(attempt, settings.backoffBase(), settings.backoffMax());
            if (response != null) {
                Optional<Duration> asked = Backoff.retryAfter(
                        response.headers().firstValue("retry-after").orElse(null), Instant.now());
                if (asked.isPresent()) {
                    if (asked.get().compareTo(settings.maxRetryAfter()) > 0) {
                        throw new FetchException(uri, FetchException.Reason.HTTP_STATUS, what
                                + " with Retry-After " + asked.get().toSeconds() + " s, more than the "
                                + settings.maxRetryAfter().toSeconds() + " s allowed");
                    }
                    wait = asked.get();
                }
            }
            retries.incrementAndGet();
            log.info("retry {}/{} of {} in {} ms after {}", attempt, settings.maxAttempts() - 1, uri,
                    wait.toMillis(), what);
            Thread.sleep(wait.toMillis());
        }
    }

    private HttpResponse<byte[]> send(URI uri, Validators validators, long maxBytes)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(settings.requestTimeout())
                .header("User-Agent", settings.userAgent())
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
                .header("Accept-Encoding", "gzip");
        if (validators.etag() != null) {
            request.header("If-None-Match", validators.etag());
        }
        if (validators.lastModified() != null) {
            request.header("If-Modified-Since", validators.lastModified());
        }
        requests.incrementAndGet();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request.build(), info -> {
            if (info.statusCode() >= 200 && info.statusCode() < 300) {
                long declared = info.headers().firstValueAsLong("content-length").orElse(-1L);
                return new LimitedBodySubscriber(maxBytes, declared);
            }
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        });
        try {
            // The request timeout covers the headers; this bounds headers and body together.
            return future.get(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("no complete response within " + settings.requestTimeout().toMillis() + " ms");
        } catch (CancellationException e) {
            throw new IOException("request cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "request failed" : cause.toString(), cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    private static byte[] decode(URI uri, HttpResponse<byte[]> response, long maxBytes) throws FetchException {
        byte[] body = response.body();
        String encoding = response.headers().firstValue("content-encoding").orElse("identity").strip();
        if (body.length == 0 || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!encoding.equalsIgnoreCase("gzip") && !encoding.equalsIgnoreCase("x-gzip")) {
            throw new FetchException(uri, FetchException.Reason.HTTP_STATUS,
                    "unsupported Content-Encoding '" + encoding + "'");
        }
        try {
            return gunzip(body, maxBytes);
        } catch (LimitedBodySubscriber.TooLargeException e) {
            throw new FetchException(uri, FetchException.Reason.TOO_LARGE, e.getMessage(), e);
        } catch (IOException e) {
            throw new FetchException(uri, FetchException.Reason.NETWORK, "corrupt gzip body: " + e.getMessage(), e);
        }
    }

    /** Decompresses gzip data, refusing output larger than {@code maxBytes}. */
    public static byte[] gunzip(byte[] gz, long maxBytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (out.length > maxBytes) {
                throw new LimitedBodySubscriber.TooLargeException(
                        "decompressed body exceeds the limit of " + maxBytes + " bytes");
            }
            return out;
        }
    }

    private void requireAllowed(URI uri) throws FetchException, InterruptedException {
        RobotsRules rules = robotsFor(uri);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        if (!rules.allows(path)) {
            throw new FetchException(uri, FetchException.Reason.ROBOTS_DISALLOWED,
                    "disallowed by robots.txt for " + settings.robotsToken());
        }
    }

    private RobotsRules robotsFor(URI uri) throws FetchException, InterruptedException {
        String origin = origin(uri);
        CompletableFuture<RobotsRules> mine = new CompletableFuture<>();
        CompletableFuture<RobotsRules> existing = robots.putIfAbsent(origin, mine);
        if (existing == null) {
            try {
                mine.complete(loadRobots(uri, origin));
            } catch (FetchException e) {
                mine.completeExceptionally(e);
            } catch (InterruptedException | RuntimeException e) {
                robots.remove(origin, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            existing = mine;
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FetchException fe) {
                throw new FetchException(uri, FetchException.Reason.ROBOTS_UNAVAILABLE, fe.getMessage(), fe);
            }
            throw new FetchException(uri, FetchException.Reason.ROBOTS_UNAVAILABLE,
                    "robots.txt check failed: " + e.getCause());
        }
    }

    private RobotsRules loadRobots(URI uri, String origin) throws FetchException, InterruptedException {
        URI robotsUri = URI.create(origin + "/robots.txt");
        FetchResponse response;
        try {
            response = get(robotsUri, Validators.NONE, MAX_ROBOTS_BYTES, false);
        } catch (FetchException e) {
            log.warn("robots.txt of {} unavailable, not crawling that site: {}", origin, e.getMessage());
            throw new FetchException(robotsUri, FetchException.Reason.ROBOTS_UNAVAILABLE,
                    "robots.txt unavailable (" + e.getMessage() + "), so the site is not crawled", e);
        }
        if (response.isSuccess()) {
            RobotsRules rules = RobotsRules.parse(new String(response.body(), StandardCharsets.UTF_8),
                    settings.robotsToken());
            rules.crawlDelay().ifPresent(d -> throttleFor(uri).raiseDelay(
                    d.compareTo(HttpSettings.MAX_CRAWL_DELAY) > 0 ? HttpSettings.MAX_CRAWL_DELAY : d));
            log.info("robots.txt of {}: {} rules for {}, crawl delay {} ms", origin, rules.ruleCount(),
                    settings.robotsToken(), throttleFor(uri).delay().toMillis());
            return rules;
        }
        // 4xx: no robots.txt, everything allowed (RFC 9309 2.3.1.3).
        log.info("robots.txt of {}: HTTP {}, no rules", origin, response.status());
        return RobotsRules.ALLOW_ALL;
    }

    private HostThrottle throttleFor(URI uri) {
        return throttles.computeIfAbsent(origin(uri),
                k -> new HostThrottle(settings.maxConcurrencyPerHost(), settings.politeDelay()));
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + (port == -1 ? "" : ":" + port);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean isRetryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }
}
