package dev.docsearch.pipeline.source;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SitemapParserTest {

    private final SitemapParser parser = new SitemapParser();

    private SitemapParser.Sitemap parse(String xml) throws Exception {
        return parser.parse(xml.getBytes(StandardCharsets.UTF_8), 1 << 20);
    }

    @Test
    void urlsetWithLastmodInEveryW3cForm() throws Exception {
        SitemapParser.Sitemap s = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                        xmlns:xhtml="http://www.w3.org/1999/xhtml">
                  <url><loc> https://docs.example.com/g/a.html </loc><lastmod>2024-03-05T10:20:30+02:00</lastmod>
                       <changefreq>weekly</changefreq><xhtml:link rel="alternate" href="x"/></url>
                  <url><loc>https://docs.example.com/g/b.html</loc><lastmod>2024-03-05</lastmod></url>
                  <url><loc>https://docs.example.com/g/c.html</loc><lastmod>2024-03-05T08:20Z</lastmod></url>
                  <url><loc>https://docs.example.com/g/d.html</loc><lastmod>2024-03-05T08:20:30.250Z</lastmod></url>
                  <url><loc>https://docs.example.com/g/e.html</loc><lastmod>2024-03</lastmod></url>
                  <url><loc>https://docs.example.com/g/f.html</loc><lastmod>yesterday</lastmod></url>
                  <url><loc>https://docs.example.com/g/g.html?x=1&amp;y=2</loc></url>
                </urlset>
                """);
        assertThat(s.kind()).isEqualTo(SitemapParser.Kind.URLSET);
        assertThat(s.entries()).extracting(SitemapParser.Entry::lastmod).containsExactly(
                Instant.parse("2024-03-05T08:20:30Z"), Instant.parse("2024-03-05T00:00:00Z"),
                Instant.parse("2024-03-05T08:20:00Z"), Instant.parse("2024-03-05T08:20:30.250Z"),
                Instant.parse("2024-03-01T00:00:00Z"), null, null);
        assertThat(s.entries().get(0).loc()).isEqualTo(URI.create("https://docs.example.com/g/a.html"));
        assertThat(s.entries().get(6).loc()).isEqualTo(URI.create("https://docs.example.com/g/g.html?x=1&y=2"));
        assertThat(s.invalidLastmods()).isEqualTo(1);
    }

    @Test
    void sitemapIndex() throws Exception {
        SitemapParser.Sitemap s = parse("""
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>https://docs.example.com/a/sitemap.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
                  <sitemap><loc>https://docs.example.com/b/sitemap.xml.gz</loc></sitemap>
                </sitemapindex>
                """);
        assertThat(s.kind()).isEqualTo(SitemapParser.Kind.INDEX);
        assertThat(s.entries()).extracting(e -> e.loc().getPath())
                .containsExactly("/a/sitemap.xml", "/b/sitemap.xml.gz");
    }

    @Test
    void gzipIsRecognisedByItsMagicBytes() throws Exception {
        String xml = "<urlset><url><loc>https://h/p.html</loc><lastmod>2020-01-01</lastmod></url></urlset>";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(xml.getBytes(StandardCharsets.UTF_8));
        }
        SitemapParser.Sitemap s = parser.parse(bytes.toByteArray(), 1 << 20);
        assertThat(s.entries()).singleElement().satisfies(e -> {
            assertThat(e.loc()).isEqualTo(URI.create("https://h/p.html"));
            assertThat(e.lastmod()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        });
        assertThatThrownBy(() -> parser.parse(bytes.toByteArray(), 20))
                .hasMessageContaining("decompressed sitemap exceeds 20 bytes");
    }

    @Test
    void garbageIsRefusedWithAPreciseMessage() {
        assertThatThrownBy(() -> parse("<?xml version=\"1.0\"?><urlset><url><loc>https://h/a"))
                .isInstanceOf(SitemapParser.SitemapFormatException.class)
                .hasMessageStartingWith("not well-formed XML at line 1");
        assertThatThrownBy(() -> parse("<html><body><h1>Service Unavailable</h1></body></html>"))
                .hasMessage("root element <html> is neither <urlset> nor <sitemapindex>");
        assertThatThrownBy(() -> parse("")).hasMessage("empty document");
        assertThatThrownBy(() -> parse("just text")).hasMessageStartingWith("not well-formed XML");
        assertThatThrownBy(() -> parse("<urlset><url><lastmod>2020-01-01</lastmod></url></urlset>"))
                .hasMessage("<url> without <loc>");
        assertThatThrownBy(() -> parse("<urlset><url><loc>/relative.html</loc></url></urlset>"))
                .hasMessageContaining("is not an absolute URL");
        assertThatThrownBy(() -> parser.parse(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, 100))
                .hasMessageStartingWith("corrupt gzip data");
    }

    @Test
    void externalEntitiesAreNeverResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<urlset><url><loc>https://h/&x;</loc></url></urlset>";
        assertThatThrownBy(() -> parse(xxe)).isInstanceOf(SitemapParser.SitemapFormatException.class);
    }
}
