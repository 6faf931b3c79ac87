package dev.docsearch.service;

import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.keyword.SnippetHighlighter;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.service.api.ApiException;
import dev.docsearch.service.api.ErrorBody;
import dev.docsearch.service.api.HealthApi;
import dev.docsearch.service.api.Json;
import dev.docsearch.service.api.LiveSearch;
import dev.docsearch.service.api.RequestBody;
import dev.docsearch.service.api.SearchApi;
import dev.docsearch.service.api.SearchParameters;
import dev.docsearch.service.api.SuggestApi;
import dev.docsearch.service.config.ServiceConfig;
import dev.docsearch.service.http.BodyLoader;
import dev.docsearch.service.http.ClientAddress;
import dev.docsearch.service.http.ClientLimit;
import dev.docsearch.service.http.JsonErrorHandler;
import dev.docsearch.service.http.SecurityHeaders;
import dev.docsearch.service.metrics.ServiceMetrics;
import dev.docsearch.service.reload.LoadedModels;
import dev.docsearch.service.reload.ReleaseHolder;
import dev.docsearch.service.reload.ReleaseLoader;
import dev.docsearch.service.reload.ReleaseWatcher;
import dev.docsearch.service.reload.ReloadStatus;
import dev.docsearch.service.ui.SearchPage;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.http.NotFoundResponse;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import io.javalin.validation.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The search service: the HTTP routes over a live release that a watcher keeps current. One instance per
 * process in production; tests start several on free ports.
 *
 * <pre>
 * GET  /              the search page (HTML, works without JavaScript)
 * GET  /api/search    JSON search: q, k, mode, guide, fusion, alpha, page
 * GET  /api/suggest   completions from titles and headings: q, n
 * POST /search        the original prototype's contract: {"query", "top_k", "alpha"}
 * GET  /health        200 ok|degraded with the live release, 503 starting|unavailable with the reason
 * GET  /metrics       Prometheus text format
 * GET  /assets/*      the page's stylesheet and script
 * </pre>
 */
public final class SearchServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SearchServer.class);
    /** One line per request; a logger of its own so operators can route or silence it. */
    private static final Logger access = LoggerFactory.getLogger("dev.docsearch.service.access");
    /** The classpath folder of the page's script and style, served at the same path. */
    private static final String ASSETS = "/assets";
    private static final String STARTED = "docsearch.started";
    private static final int MAX_THREADS = 250;
    private static final int MAX_CONNECTIONS = 2000;
    private static final String MANAGEMENT = "management";
    /** How long a request body may take to arrive, in all (a 16 KiB body needs milliseconds). */
    private static final Duration BODY_DEADLINE = Duration.ofSeconds(10);

    private final ServiceConfig config;
    private final SnippetHighlighter highlighter;
    private final LoadedModels models;
    private final ReleaseHolder holder;
    private final ReleaseLoader loader;
    private final ServiceMetrics metrics;
    private final ReleaseWatcher watcher;
    private final QueuedThreadPool threads;
    private final Javalin app;
    /** The management listener, once Javalin has made it; null when /metrics is on the service port. */
    private volatile ServerConnector managementConnector;

    private SearchServer(ServiceConfig config) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        ReleaseStore store = new ReleaseStore(config.artifactsDir());
        this.highlighter = new SnippetHighlighter();
        this.models = new LoadedModels(new ModelStore(config.artifactsDir()), EmbedderOptions.defaults(),
                config.queryCacheSize());
        this.holder = new ReleaseHolder();
        this.loader = new ReleaseLoader(store, models, highlighter::snippet, config.searchCandidates(), clock);
        this.metrics = new ServiceMetrics(clock, loader::openReleases);
        this.watcher = new ReleaseWatcher(store, loader, holder, config.pollInterval(), config.retryMax(), metrics, clock);
        this.threads = new QueuedThreadPool(MAX_THREADS, 8, 60_000);
        threads.setName("http");
        metrics.bindThreadPool(threads);
        // Loading the release (checksums, indexes, the model: seconds) starts first and goes on while the HTTP
        // side is set up and started: the first answer comes sooner.
        watcher.start();
        try {
            this.app = routes(config, metrics, holder, watcher);
        } catch (RuntimeException | Error e) {
            watcher.close();
            throw e;
        }
    }

    private Javalin routes(ServiceConfig config, ServiceMetrics metrics, ReleaseHolder holder, ReleaseWatcher watcher) {
        LiveSearch search = new LiveSearch(holder, watcher::status, metrics, config.logQueryChars());
        SearchApi api = new SearchApi(search);
        SuggestApi suggest = new SuggestApi(search);
        HealthApi health = new HealthApi(holder, watcher::status, config.artifactsDir());
        SearchPage page = new SearchPage(search);

        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            cfg.http.generateEtags = false;
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
            // The page's script and style, from the jar; the before-handler's security headers apply to them too.
            cfg.staticFiles.add(files -> {
                files.hostedPath = ASSETS;
                files.directory = ASSETS;
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "public, max-age=3600");
            });
            cfg.http.maxRequestSize = 64 * 1024;
            cfg.jetty.host = config.bindAddress();
            cfg.jetty.port = config.port();
            cfg.jetty.threadPool = threads;
            if (config.metricsPort() != ServiceConfig.METRICS_ON_SERVICE_PORT) {
                // Javalin makes its own connector only when none is added: the service's comes first, so that
                // port() stays the service port, then the management listener.
                cfg.jetty.addConnector((server, http) -> {
                    ServerConnector service = new ServerConnector(server, new HttpConnectionFactory(http));
                    service.setHost(config.bindAddress());
                    service.setPort(config.port());
                    return service;
                });
                cfg.jetty.addConnector((server, http) -> {
                    ServerConnector management = new ServerConnector(server, new HttpConnectionFactory(http));
                    management.setName(MANAGEMENT);
                    management.setHost(config.metricsBind());
                    management.setPort(config.metricsPort());
                    managementConnector = management;
                    return management;
                });
            }
            cfg.jetty.modifyServer(server -> {
                // Jetty's own refusals (bad request line, 414, 431, 505) as JSON with the same headers as the API's.
                server.setErrorHandler(new JsonErrorHandler());
                // Past this many open connections Jetty stops accepting (the kernel's backlog holds the rest).
                server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
            });
            // Bodies are collected before a request thread sees them: a slow or stalled body holds a connection,
            // never a thread, and gets a 408 once BODY_DEADLINE has passed.
            cfg.jetty.modifyServletContextHandler(context -> {
                context.insertHandler(new BodyLoader(RequestBody.MAX_BYTES + 1, BODY_DEADLINE));
                // Outside the body loader, so that a body still on its way counts as in flight for its client.
                if (config.clientMaxInFlight() > 0) {
                    ClientLimit limit = new ClientLimit(config.clientMaxInFlight(),
                            new ClientAddress(config.trustedProxies()), metrics::clientRefused);
                    metrics.bindRequestsInFlight(limit::inFlight);
                    context.insertHandler(limit);
                }
            });
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            cfg.requestLogger.http(this::logRequest);

            cfg.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                SecurityHeaders.apply(ctx::header);
                // With a management listener, /metrics is there alone (never through the public port or a load
                // balancer), and the listener serves nothing but /metrics and /health.
                ServerConnector management = managementConnector;
                if (management != null) {
                    boolean onManagement = ctx.req().getLocalPort() == management.getLocalPort();
                    boolean metricsPath = ctx.path().equals("/metrics");
                    if (onManagement ? !metricsPath && !ctx.path().equals("/health") : metricsPath) {
                        throw new NotFoundResponse(); // answered as every 404 is, below
                    }
                }
                // Every body is read (within bounds) before routing, whatever the route does with it: an unread
                // body would turn a refusal into a reset connection.
                RequestBody.readIfPresent(ctx);
            });
            cfg.routes.get("/", page::get);
            cfg.routes.get("/api/search", api::get);
            cfg.routes.get("/api/suggest", suggest::get);
            cfg.routes.post("/search", api::post);
            cfg.routes.get("/health", health::get);
            cfg.routes.get("/metrics", ctx -> ctx.header("Cache-Control", "no-store")
                    .contentType(ServiceMetrics.CONTENT_TYPE).result(metrics.scrape()));

            cfg.routes.exception(ApiException.class, (e, ctx) -> refuse(ctx, e));
            cfg.routes.exception(ValidationException.class, (e, ctx) -> refuse(ctx, SearchParameters.refusal(e)));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) ->
                    Json.send(ctx, e.getStatus(), new ErrorBody(SearchParameters.abbreviate(e.getMessage()), null)));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // A bug, not bad input: the caller gets a plain message, the log gets the details.
                log.error("request failed method={} path={}: {}", ctx.method(), ctx.path(), e.toString(), e);
                Json.send(ctx, 500, new ErrorBody("internal error; the service log has the details", null));
            });
            cfg.routes.error(404, ctx -> Json.send(ctx, 404, new ErrorBody("no such endpoint: " + ctx.method() + " "
                    + SearchParameters.abbreviate(ctx.path()) + " (try GET /, GET /api/search?q=..., GET /health)", null)));
            cfg.routes.error(405, ctx -> Json.send(ctx, 405, new ErrorBody("method " + ctx.method()
                    + " is not allowed on " + SearchParameters.abbreviate(ctx.path()), null)));
        });
    }

    /** Starts listening and watching the artifact root; returns once the port is bound. */
    public static SearchServer start(ServiceConfig config) {
        SearchServer server = new SearchServer(config);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("service listening on http://{}:{}/ artifacts={} poll_interval_ms={} metrics={}", config.bindAddress(),
                server.port(), config.artifactsDir(), config.pollInterval().toMillis(),
                server.metricsPort() == ServiceConfig.METRICS_ON_SERVICE_PORT ? "service port"
                        : "http://" + config.metricsBind() + ":" + server.metricsPort() + "/metrics");
        return server;
    }

    public int port() {
        return app.port();
    }

    /** The management listener's port, or {@link ServiceConfig#METRICS_ON_SERVICE_PORT} when there is none. */
    public int metricsPort() {
        ServerConnector management = managementConnector;
        return management == null ? ServiceConfig.METRICS_ON_SERVICE_PORT : management.getLocalPort();
    }

    public ReloadStatus status() {
        return watcher.status();
    }

    /** Releases open in this process (live plus draining); 1 in a steady state. */
    public int openReleases() {
        return loader.openReleases();
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    public ServiceConfig config() {
        return config;
    }

    private static void refuse(Context ctx, ApiException e) {
        Json.send(ctx, e.status(), new ErrorBody(e.getMessage(), e.field()));
    }

    private void logRequest(Context ctx, Float ms) {
        String endpoint = "unmatched";
        try {
            Endpoint matched = ctx.endpoint();
            // Unmatched requests report the catch-all before-handler ("*"), which is not a route.
            if (matched != null && matched.method.isHttpMethod() && !matched.path.equals("*")) {
                endpoint = matched.path;
            }
        } catch (RuntimeException e) {
            // No endpoint at all: keep "unmatched".
        }
        int status = ctx.statusCode();
        if (endpoint.equals("unmatched") && status != 404 && ctx.path().startsWith(ASSETS + "/")) {
            endpoint = ASSETS + "/*"; // served by the static-file handler, which no route names
        }
        Long started = ctx.attribute(STARTED);
        long nanos = started != null ? System.nanoTime() - started : (long) (ms * 1_000_000);
        metrics.request(endpoint, ctx.method().name(), status, nanos);
        if (access.isInfoEnabled()) {
            String release = ctx.attribute(SearchApi.RELEASE_ATTRIBUTE);
            String q = null;
            try {
                q = config.logQueryChars() > 0 && ctx.method().name().equals("GET") ? ctx.queryParam("q") : null;
            } catch (IllegalArgumentException e) {
                // Broken percent-encoding: the request was refused with a 400; there is no query to log.
            }
            access.info("{} {} status={} ms={} release={}{}", ctx.method().name(), SearchParameters.abbreviate(ctx.path()),
                    status, String.format(Locale.ROOT, "%.2f", nanos / 1e6), release == null ? "-" : release,
                    q == null ? "" : " q=\"" + SearchParameters.forLog(q, config.logQueryChars()) + "\"");
        }
    }

    /** Stops taking requests, stops the watcher, and closes the release once the last request is done. */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            watcher.close();
            holder.close();
            models.close();
            highlighter.close();
            metrics.close();
            log.info("service stopped open_releases={}", loader.openReleases());
        }
    }
}
