package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.crawl.CrawlSettings;
import dev.docsearch.pipeline.http.HttpSettings;
import dev.docsearch.pipeline.source.SourceSpecs;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What to crawl and how politely. */
final class SourceOptions {

    @Option(names = "--source", paramLabel = "SPEC",
            description = "A source: an http(s):// sitemap (or sitemap index) URL, dir:PATH for a local folder of "
                    + "markdown/HTML pages, or 'sample' for the ~250 pages bundled with the repository (no network). Repeatable. Default: the --sources-file list, else $"
                    + SourceSpecs.ENVIRONMENT_VARIABLE + " (comma or newline separated), else the nine AWS guide "
                    + "sitemaps (S3, ECS, EC2, Lambda, IAM, CloudWatch, DynamoDB, VPC, CDK).")
    List<String> sources = new ArrayList<>();

    @Option(names = "--sources-file", paramLabel = "FILE",
            description = "A file listing sources, one per line ('#' starts a comment).")
    Path sourcesFile;

    @Option(names = "--max-pages", paramLabel = "N", defaultValue = "0",
            description = "Fetch only the first N listed pages (0 = all; default: ${DEFAULT-VALUE}). Pages past the "
                    + "limit that the corpus holds are kept as they are.")
    int maxPages;

    @Option(names = "--max-removed-share", paramLabel = "SHARE", defaultValue = "0.2",
            description = "Abort (publish nothing) when a crawl would remove more than this share (0..1) of the "
                    + "corpus' pages (default: ${DEFAULT-VALUE}): a broken sitemap must never empty the index.")
    double maxRemovedShare;

    @Option(names = "--concurrency-per-host", paramLabel = "N", defaultValue = "4",
            description = "HTTP requests in flight per host (default: ${DEFAULT-VALUE}).")
    int perHost;

    @Option(names = "--polite-delay", paramLabel = "DURATION", defaultValue = "200ms", converter = Durations.class,
            description = "Minimum time between the starts of two requests to one host (default: ${DEFAULT-VALUE}; "
                    + "robots.txt Crawl-delay raises it).")
    Duration politeDelay;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Time allowed for one HTTP request (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    /** The source specs asked for, validated. */
    List<String> specs(Map<String, String> env) throws IOException {
        List<String> specs = new ArrayList<>();
        for (String s : sources) {
            specs.add(SourceSpecs.validate(s));
        }
        if (sourcesFile != null) {
            specs.addAll(SourceSpecs.readFile(sourcesFile));
        }
        if (specs.isEmpty()) {
            String fromEnv = env.get(SourceSpecs.ENVIRONMENT_VARIABLE);
            if (fromEnv != null && !fromEnv.isBlank()) {
                specs.addAll(SourceSpecs.parse(fromEnv));
            }
        }
        if (specs.isEmpty()) {
            specs.addAll(SourceSpecs.defaults());
        }
        return specs;
    }

    CrawlSettings settings() {
        HttpSettings http = HttpSettings.defaults()
                .withMaxConcurrencyPerHost(perHost)
                .withPoliteDelay(politeDelay)
                .withTimeouts(HttpSettings.defaults().connectTimeout(), requestTimeout);
        return CrawlSettings.defaults().withHttp(http).withMaxPages(maxPages).withMaxRemovedShare(maxRemovedShare);
    }
}
