package dev.docsearch.pipeline.source;

import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.extract.HtmlExtractor;
import dev.docsearch.pipeline.http.FetchException;
import dev.docsearch.pipeline.http.FetchResponse;
import dev.docsearch.pipeline.http.HttpFetcher;
import dev.docsearch.pipeline.http.Validators;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A site's pages as its sitemap lists them, fetched over HTTP(S). Follows sitemap indexes (up to
 * {@value #MAX_INDEX_DEPTH} levels), reads gzip sitemaps, keeps {@code lastmod}. Every sitemap
 * reached must answer 2xx and parse, or {@link #list()} fails as a whole: a partial listing would
 * look like deleted pages. Page ids: the guide (see {@link AwsGuides#guideForBase}) of the sitemap's
 * folder, then the page's path below that folder without {@code .html} — so
 * {@code https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html} becomes
 * {@code amazon-s3-userguide/Versioning}, the same id as its markdown source. Locations on another
 * site than their sitemap are ignored, as the sitemap protocol asks.
 */
public final class SitemapSource implements Source {

    private static final Logger log = LoggerFactory.getLogger(SitemapSource.class);
    static final int MAX_INDEX_DEPTH = 3;

    private final URI sitemap;
    private final HttpFetcher fetcher;
    private final HtmlExtractor extractor;
    private final SitemapParser parser = new SitemapParser();
    private final long maxPageBytes;
    private final long maxSitemapBytes;

    public SitemapSource(URI sitemap, HttpFetcher fetcher, HtmlExtractor extractor, long maxPageBytes,
                         long maxSitemapBytes) {
        String scheme = sitemap.getScheme() == null ? "" : sitemap.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || sitemap.getHost() == null) {
            throw new IllegalArgumentException("a sitemap must be an absolute http(s) URL, got '" + sitemap + "'");
        }
        this.sitemap = sitemap;
        this.fetcher = fetcher;
        this.extractor = extractor;
        this.maxPageBytes = maxPageBytes;
        this.maxSitemapBytes = maxSitemapBytes;
    }

    @Override
    public String spec() {
        return sitemap.toString();
    }

    @Override
    public List<SourceEntry> list() throws SourceException, InterruptedException {
        Map<String, SourceEntry> entries = new LinkedHashMap<>();
        visit(sitemap, 0, new HashSet<>(), entries);
        return new ArrayList<>(entries.values());
    }

    private void visit(URI uri, int depth, Set<URI> visited, Map<String, SourceEntry> entries)
            throws SourceException, InterruptedException {
        if (!visited.add(uri)) {
            return;
        }
        if (depth > MAX_INDEX_DEPTH) {
            throw new SourceException("sitemap " + uri + ": sitemap indexes nested deeper than " + MAX_INDEX_DEPTH);
        }
        FetchResponse response;
        try {
            response = fetcher.get(uri, Validators.NONE, maxSitemapBytes);
        } catch (FetchException e) {
            throw new SourceException("sitemap " + uri + " failed: " + e.getMessage(), e);
        }
        if (!response.isSuccess()) {
            throw new SourceException("sitemap " + uri + " answered HTTP " + response.status());
        }
        SitemapParser.Sitemap parsed;
        try {
            parsed = parser.parse(response.body(), maxSitemapBytes);
        } catch (SitemapParser.SitemapFormatException e) {
            throw new SourceException("sitemap " + uri + " is not a valid sitemap: " + e.getMessage(), e);
        }
        log.info("sitemap {}: {} {} ({} bytes, {} unreadable lastmod)", uri, parsed.entries().size(),
                parsed.kind() == SitemapParser.Kind.INDEX ? "sitemaps" : "pages", response.body().length,
                parsed.invalidLastmods());
        if (parsed.kind() == SitemapParser.Kind.INDEX) {
            for (SitemapParser.Entry child : parsed.entries()) {
                if (!HttpFetcher.sameSite(uri, child.loc())) {
                    log.warn("sitemap {}: ignoring child sitemap on another site: {}", uri, child.loc());
                    continue;
                }
                visit(child.loc(), depth + 1, visited, entries);
            }
            return;
        }
        URI base = uri.resolve(".");
        String guide = AwsGuides.guideForBase(base);
        int offSite = 0;
        for (SitemapParser.Entry e : parsed.entries()) {
            URI page = withoutFragment(e.loc());
            if (!HttpFetcher.sameSite(uri, page)) {
                offSite++;
                continue;
            }
            String id = guide + "/" + relativePageName(base, page);
            entries.putIfAbsent(id, new SourceEntry(id, guide, page.toString(), e.lastmod()));
        }
        if (offSite > 0) {
            log.warn("sitemap {}: ignored {} locations on other sites", uri, offSite);
        }
    }

    @Override
    public FetchOutcome fetch(SourceEntry entry, Validators known) throws InterruptedException {
        URI uri = URI.create(entry.location());
        FetchResponse response;
        try {
            response = fetcher.get(uri, known, maxPageBytes);
        } catch (FetchException e) {
            return switch (e.reason()) {
                case ROBOTS_DISALLOWED, OFF_SITE_REDIRECT -> new FetchOutcome.Gone(e.getMessage());
                default -> new FetchOutcome.Failed(e.getMessage());
            };
        }
        if (response.isNotModified()) {
            Validators v = response.validators();
            return new FetchOutcome.NotModified(new Validators(
                    v.etag() != null ? v.etag() : known.etag(),
                    v.lastModified() != null ? v.lastModified() : known.lastModified()));
        }
        if (response.status() == 404 || response.status() == 410) {
            return new FetchOutcome.Gone(uri + ": HTTP " + response.status());
        }
        if (!response.isSuccess()) {
            return new FetchOutcome.Failed(uri + ": HTTP " + response.status());
        }
        String type = response.contentType() == null ? "" : response.contentType().toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.contains("html")) {
            return new FetchOutcome.Gone(uri + ": not an HTML page (" + response.contentType() + ")");
        }
        try {
            Page page = extractor.extract(entry.id(), entry.guide(), response.finalUri().toString(),
                    response.body(), response.charset());
            return new FetchOutcome.Fetched(page, response.validators(), response.body().length);
        } catch (RuntimeException e) {
            return new FetchOutcome.Failed(uri + ": cannot extract text: " + e);
        }
    }

    /** The page's path below the sitemap's folder, without {@code .html}; {@code index} for a folder. */
    static String relativePageName(URI base, URI page) {
        String basePath = base.getPath() == null ? "/" : base.getPath();
        String path = page.getPath() == null || page.getPath().isEmpty() ? "/" : page.getPath();
        String rel = path.startsWith(basePath) ? path.substring(basePath.length()) : AwsGuides.trimSlashes(path);
        if (rel.isEmpty() || rel.endsWith("/")) {
            rel += "index";
        }
        String lower = rel.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".html")) {
            rel = rel.substring(0, rel.length() - 5);
        } else if (lower.endsWith(".htm")) {
            rel = rel.substring(0, rel.length() - 4);
        }
        return AwsGuides.trimSlashes(rel);
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }
}
