package dev.docsearch.service.metrics;

import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.search.SearchMode;
import dev.docsearch.core.search.SearchResponse;
import dev.docsearch.service.reload.ReloadEvents;
import dev.docsearch.service.reload.ServingRelease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.util.thread.ThreadPool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * The service's Prometheus metrics (Micrometer): requests by endpoint and status, search latency by mode,
 * searches that found nothing by mode,
 * query embedding latency, the live release (id, age, size), reload attempts and failures, open releases,
 * and the JVM's memory, GC, threads and file descriptors.
 *
 * <p>Latencies are histograms with fixed buckets from 0.5 ms to 10 s, so quantiles can be computed across
 * hosts. Thread-safe.
 */
public final class ServiceMetrics implements ReloadEvents, AutoCloseable {

    /** Content type of {@link #scrape()}: the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Duration[] BUCKETS = {
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4),
            Duration.ofMillis(8), Duration.ofMillis(16), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(10)};

    private static final String OTHER = "other";
    /** The methods of RFC 9110 (plus PATCH): anything else a client sends counts as {@value #OTHER}. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    /** The statuses this service and Jetty answer with. */
    private static final Set<Integer> STATUSES = Set.of(200, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 406,
            408, 411, 413, 414, 415, 416, 417, 422, 429, 431, 500, 501, 503, 505);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Clock clock;
    private final Counter reloadAttempts;
    private final Counter reloadFailures;
    private final Counter clientRefusals;
    private final MultiGauge releaseInfo;
    private final AtomicReference<Live> live = new AtomicReference<>();

    private record Live(String id, Instant created, Instant loadedAt, int pages, int chunks) {
    }

    /** @param openReleases how many releases are open (live or draining) */
    public ServiceMetrics(Clock clock, IntSupplier openReleases) {
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        reloadAttempts = Counter.builder("docsearch.reload.attempts")
                .description("releases the watcher tried to load").register(registry);
        reloadFailures = Counter.builder("docsearch.reload.failures")
                .description("release loads that were rejected").register(registry);
        clientRefusals = Counter.builder("docsearch.http.client.refusals")
                .description("requests refused with 429: their client had the most requests in flight it may")
                .register(registry);
        releaseInfo = MultiGauge.builder("docsearch.release.info")
                .description("1 for the live release, labelled with its id").register(registry);
        Gauge.builder("docsearch.releases.open", openReleases::getAsInt)
                .description("releases open in this process: the live one plus any still draining requests")
                .register(registry);
        Gauge.builder("docsearch.release.age", live, l -> age(l.get(), Live::created))
                .description("seconds since the live release was built").baseUnit("seconds").register(registry);
        Gauge.builder("docsearch.release.loaded.age", live, l -> age(l.get(), Live::loadedAt))
                .description("seconds since the live release was loaded").baseUnit("seconds").register(registry);
        Gauge.builder("docsearch.release.pages", live, l -> l.get() == null ? Double.NaN : l.get().pages())
                .description("pages in the live release").register(registry);
        Gauge.builder("docsearch.release.chunks", live, l -> l.get() == null ? Double.NaN : l.get().chunks())
                .description("chunks in the live release").register(registry);
    }

    private double age(Live l, java.util.function.Function<Live, Instant> field) {
        if (l == null || field.apply(l) == null) {
            return Double.NaN;
        }
        return Duration.between(field.apply(l), clock.instant()).toMillis() / 1000.0;
    }

    /**
     * One HTTP exchange. Every label comes from a closed set, whatever the client sends: {@code endpoint} is a
     * route pattern or {@code unmatched} (never the raw path), and a method or status outside the known ones is
     * {@code other}. Otherwise each new method a client makes up would add series to every scrape, without bound.
     */
    public void request(String endpoint, String method, int status, long nanos) {
        Timer.builder("docsearch.http.requests")
                .description("HTTP requests by endpoint, method and status")
                .tags(Tags.of("endpoint", endpoint, "method", METHODS.contains(method) ? method : OTHER,
                        "status", STATUSES.contains(status) ? Integer.toString(status) : OTHER))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The HTTP request threads: {@code jetty_threads_busy}, {@code _current}, {@code _config_max}, queued jobs. */
    public void bindThreadPool(ThreadPool threads) {
        new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(registry);
    }

    /** The requests in flight that the per-client cap counts, bodies still arriving included. */
    public void bindRequestsInFlight(IntSupplier requests) {
        Gauge.builder("docsearch.http.requests.in.flight", requests::getAsInt)
                .description("requests admitted by the per-client cap and not yet answered (bodies still arriving too)")
                .register(registry);
    }

    /** A request refused because its client had as many in flight as it may ({@code ClientLimit}). */
    public void clientRefused() {
        clientRefusals.increment();
    }

    /** One search, timed inside the searcher (no HTTP, no JSON). */
    public void search(SearchMode mode, SearchResponse response) {
        Timer.builder("docsearch.search.latency")
                .description("time spent in the searcher by mode")
                .tags("mode", mode.label())
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(response.tookMicros(), TimeUnit.MICROSECONDS);
        if (response.total() == 0) {
            Counter.builder("docsearch.search.zero.results")
                    .description("searches that found no page, by mode (the query text goes to the log, not here)")
                    .tag("mode", mode.label())
                    .register(registry)
                    .increment();
        }
        if (mode != SearchMode.KEYWORD && response.embedMicros() > 0) {
            Timer.builder("docsearch.embed.latency")
                    .description("time spent turning the query into a vector (cache hits included)")
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry)
                    .record(response.embedMicros(), TimeUnit.MICROSECONDS);
        }
    }

    @Override
    public void attempted(String id) {
        reloadAttempts.increment();
    }

    @Override
    public void swapped(ServingRelease release, long millis) {
        Manifest m = release.manifest();
        live.set(new Live(m.id(), parse(m.created()), release.loadedAt(), m.pages(), m.chunks()));
        releaseInfo.register(List.of(MultiGauge.Row.of(Tags.of("release", m.id()), 1)), true);
        Timer.builder("docsearch.reload.switch")
                .description("time from the watcher seeing a new id in CURRENT to the release serving")
                .register(registry)
                .record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void rejected(String id, String reason) {
        reloadFailures.increment();
    }

    private static Instant parse(String created) {
        try {
            return created == null ? null : Instant.parse(created);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry, for tests that read a meter directly. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
