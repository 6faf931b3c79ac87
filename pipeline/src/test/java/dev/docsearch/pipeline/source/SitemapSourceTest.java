package dev.docsearch.pipeline.source;

import com.sun.net.httpserver.HttpServer;
import dev.docsearch.pipeline.extract.HtmlExtractor;
import dev.docsearch.pipeline.http.HttpFetcher;
import dev.docsearch.pipeline.http.HttpSettings;
import dev.docsearch.pipeline.http.Validators;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SitemapSource against a small hand-written site: ids, foreign locations, nesting, content types. */
class SitemapSourceTest {

    private HttpServer server;
    private String base;
    private final Map<String, String[]> docs = new ConcurrentHashMap<>(); // path -> {content type, body}

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            String[] doc = docs.get(ex.getRequestURI().getPath());
            byte[] body = doc == null ? "missing".getBytes(StandardCharsets.UTF_8) : doc[1].getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", doc == null ? "text/plain" : doc[0]);
            ex.sendResponseHeaders(doc == null ? 404 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private SitemapSource source(String path) {
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.defaults().withPoliteDelay(Duration.ZERO)
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10)));
        return new SitemapSource(URI.create(base + path), fetcher, new HtmlExtractor(), 1 << 20, 1 << 20);
    }

    @Test
    void idsComeFromTheGuideAndThePathBelowTheSitemap() throws Exception {
        docs.put("/docs/my-guide/sitemap.xml", new String[] {"application/xml", "<urlset>"
                + "<url><loc>" + base + "/docs/my-guide/intro.html</loc><lastmod>2024-05-01</lastmod></url>"
                + "<url><loc>" + base + "/docs/my-guide/sub/deep.htm#section</loc></url>"
                + "<url><loc>" + base + "/docs/my-guide/folder/</loc></url>"
                + "<url><loc>" + base + "/elsewhere/page.html</loc></url>"
                + "<url><loc>" + base + "/docs/my-guide/intro.html</loc></url>"
                + "<url><loc>https://other.example.com/docs/my-guide/x.html</loc></url>"
                + "</urlset>"});
        List<SourceEntry> entries = source("/docs/my-guide/sitemap.xml").list();

        assertThat(entries).extracting(SourceEntry::id).containsExactly(
                "docs-my-guide/intro", "docs-my-guide/sub/deep", "docs-my-guide/folder/index", "docs-my-guide/elsewhere/page");
        assertThat(entries).extracting(SourceEntry::guide).containsOnly("docs-my-guide");
        assertThat(entries.get(0).lastmod()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
        assertThat(entries.get(1).location()).isEqualTo(base + "/docs/my-guide/sub/deep.htm");
        assertThat(entries.get(1).lastmod()).isNull();
    }

    @Test
    void knownAwsGuidePathsGiveTheMarkdownSourcesIds() {
        URI base = URI.create("https://docs.aws.amazon.com/AmazonS3/latest/userguide/");
        assertThat(AwsGuides.guideForBase(base)).isEqualTo("amazon-s3-userguide");
        assertThat(SitemapSource.relativePageName(base, URI.create("https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html")))
                .isEqualTo("Versioning");
        assertThat(AwsGuides.guideForBase(URI.create("https://docs.aws.amazon.com/cdk/v2/guide/"))).isEqualTo("aws-cdk-guide");
        assertThat(AwsGuides.docsUrl("iam-user-guide", "id_roles")).contains("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html");
        assertThat(AwsGuides.guideForBase(URI.create("https://docs.example.com/"))).isEqualTo("docs.example.com");
    }

    @Test
    void theDefaultSourcesAreTheNineGuideSitemaps() {
        assertThat(SourceSpecs.defaults()).containsExactly(
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/sitemap.xml",
                "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/sitemap.xml",
                "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sitemap.xml",
                "https://docs.aws.amazon.com/lambda/latest/dg/sitemap.xml",
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/sitemap.xml",
                "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/sitemap.xml",
                "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/sitemap.xml",
                "https://docs.aws.amazon.com/vpc/latest/userguide/sitemap.xml",
                "https://docs.aws.amazon.com/cdk/v2/guide/sitemap.xml");
        for (String sitemap : SourceSpecs.defaults()) {
            assertThat(AwsGuides.guideForBase(URI.create(sitemap).resolve("."))).isIn(AwsGuides.guides());
        }
    }

    @Test
    void nestedIndexesAreFollowedAndAFailingChildFailsTheWhole() throws Exception {
        docs.put("/index.xml", new String[] {"application/xml", "<sitemapindex><sitemap><loc>" + base
                + "/inner.xml</loc></sitemap><sitemap><loc>https://other.example.com/x.xml</loc></sitemap></sitemapindex>"});
        docs.put("/inner.xml", new String[] {"application/xml", "<sitemapindex><sitemap><loc>" + base
                + "/g/sitemap.xml</loc></sitemap></sitemapindex>"});
        docs.put("/g/sitemap.xml", new String[] {"application/xml", "<urlset><url><loc>" + base + "/g/a.html</loc></url></urlset>"});
        assertThat(source("/index.xml").list()).extracting(SourceEntry::id).containsExactly("g/a");

        docs.remove("/g/sitemap.xml");
        assertThatThrownBy(() -> source("/index.xml").list())
                .isInstanceOf(SourceException.class)
                .hasMessage("sitemap " + base + "/g/sitemap.xml answered HTTP 404");

        docs.put("/loop.xml", new String[] {"application/xml", "<sitemapindex><sitemap><loc>" + base
                + "/loop.xml</loc></sitemap></sitemapindex>"});
        assertThat(source("/loop.xml").list()).isEmpty();
    }

    @Test
    void pagesThatAreNotHtmlAreGoneAnd404sTooButServerErrorsFail() throws Exception {
        docs.put("/g/page.pdf", new String[] {"application/pdf", "%PDF-1.4"});
        docs.put("/g/page.html", new String[] {"text/html; charset=UTF-8", "<html><body><main><h1>T</h1><p>Body.</p></main></body></html>"});
        SitemapSource source = source("/g/sitemap.xml");

        assertThat(source.fetch(new SourceEntry("g/page", "g", base + "/g/page.pdf", null), Validators.NONE))
                .isInstanceOfSatisfying(FetchOutcome.Gone.class, g -> assertThat(g.reason()).contains("not an HTML page"));
        assertThat(source.fetch(new SourceEntry("g/none", "g", base + "/g/none.html", null), Validators.NONE))
                .isInstanceOfSatisfying(FetchOutcome.Gone.class, g -> assertThat(g.reason()).endsWith("HTTP 404"));
        FetchOutcome ok = source.fetch(new SourceEntry("g/page", "g", base + "/g/page.html", null), Validators.NONE);
        assertThat(ok).isInstanceOfSatisfying(FetchOutcome.Fetched.class, f -> {
            assertThat(f.page().title()).isEqualTo("T");
            assertThat(f.page().url()).isEqualTo(base + "/g/page.html");
        });

        server.removeContext("/");
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(502, -1);
            ex.close();
        });
        assertThat(source("/g/sitemap.xml").fetch(new SourceEntry("g/page", "g", base + "/g/page.html", null), Validators.NONE))
                .isInstanceOfSatisfying(FetchOutcome.Failed.class, f -> assertThat(f.reason()).contains("robots.txt unavailable"));
    }

    @Test
    void sourceListsParseAndBadSpecsAreNamed() {
        assertThat(SourceSpecs.parse("""
                # the guides
                https://docs.aws.amazon.com/AmazonS3/latest/userguide/sitemap.xml, dir:../shared/data/awsdocs

                http://127.0.0.1:8080/sitemap_index.xml  # local copy
                """)).containsExactly("https://docs.aws.amazon.com/AmazonS3/latest/userguide/sitemap.xml",
                "dir:../shared/data/awsdocs", "http://127.0.0.1:8080/sitemap_index.xml");
        assertThatThrownBy(() -> SourceSpecs.parse("ftp://example.com/sitemap.xml"))
                .hasMessage("source 'ftp://example.com/sitemap.xml' is neither dir:PATH, an http(s):// sitemap URL, nor sample");
        assertThatThrownBy(() -> SourceSpecs.validate("dir:")).hasMessageContaining("dir: needs a path");
        assertThatThrownBy(() -> SourceSpecs.validate("https:///nohost")).hasMessageContaining("has no host");
        assertThat(SourceSpecs.open("dir:/tmp", null, null, null, 1, 1)).isInstanceOf(LocalFolderSource.class);
    }
}
