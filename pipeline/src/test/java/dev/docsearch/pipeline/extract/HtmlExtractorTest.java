package dev.docsearch.pipeline.extract;

import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlExtractorTest {

    private final HtmlExtractor extractor = new HtmlExtractor();

    @Test
    void awsLayoutPageKeepsOnlyTheMainTextAndItsSections() throws Exception {
        DocsSiteFixture.requireAwsdocs();
        try (DocsSiteFixture site = DocsSiteFixture.builder(DocsSiteFixture.awsdocs())
                .pages("amazon-s3-userguide/Versioning", "amazon-s3-userguide/IndexDocumentSupport").start()) {
            String id = "amazon-s3-userguide/Versioning";
            String html = site.html(id);
            Page page = extractor.extract(id, "amazon-s3-userguide", site.pageUrl(id), html);

            assertThat(page.title()).isEqualTo("Using versioning in S3 buckets");
            assertThat(page.url()).isEqualTo(site.pageUrl(id));
            assertThat(page.sections()).extracting(Page.Section::headingPath).contains(
                    List.of(), List.of("Unversioned, versioning-enabled, and versioning-suspended buckets"));
            String all = text(page);
            assertThat(all).contains("Versioning in Amazon S3 is a means of keeping multiple variants");
            // The chrome the fixture wraps around every page, none of which is content.
            assertThat(all).doesNotContain("Did this page help you", "Provide feedback", "Javascript is disabled",
                    "Document Conventions", "Previous topic", "Privacy | Site terms", "All rights reserved",
                    "awsdocs_config", "Loading the awsdocs shell", "Amazon Ember", "Contact Us",
                    "Search in this guide", "Guide contents", "IndexDocumentSupport");
            assertThat(html).contains("Did this page help you", "IndexDocumentSupport", "awsdocs_config");
        }
    }

    @Test
    void containerPreferenceAndTitleFallbacks() {
        String html = """
                <html><head><title>Fallback title - Guide</title>
                <link rel="canonical" href="/Guide/page.html"></head>
                <body><nav>Menu entry</nav>
                <main><p>Main text.</p><h2>Part</h2><p>Part text.</p>
                <footer>Footer text</footer></main>
                <div>Outside main</div></body></html>
                """;
        Page page = extractor.extract("g/p", "g", "https://docs.example.com/Guide/other.html", html);

        assertThat(page.title()).isEqualTo("Fallback title - Guide");
        assertThat(page.url()).isEqualTo("https://docs.example.com/Guide/page.html");
        assertThat(page.sections()).extracting(Page.Section::headingPath, Page.Section::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of(), "Main text."),
                org.assertj.core.groups.Tuple.tuple(List.of("Part"), "Part text."));
    }

    @Test
    void headingIdsBecomeTheSectionsAnchors() {
        String html = """
                <html><head><title>T</title></head><body><main>
                <h1 id="page-top">Versioning</h1><p>Lead.</p>
                <h2 id="versioning-states">States</h2><p>States text.</p>
                <h3>Unversioned</h3><p>Child text.</p>
                <h2><a name="legacy-anchor"></a>Legacy</h2><p>Legacy text.</p>
                </main></body></html>
                """;
        Page page = extractor.extract("g/p", "g", "https://docs.example.com/g/p.html", html);

        assertThat(page.sections()).extracting(Page.Section::text, Page.Section::anchor).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Lead.", ""),
                org.assertj.core.groups.Tuple.tuple("States text.", "versioning-states"),
                org.assertj.core.groups.Tuple.tuple("Child text.", "versioning-states"),
                org.assertj.core.groups.Tuple.tuple("Legacy text.", "legacy-anchor"));
    }

    @Test
    void bodyIsTheLastResortAndH1AnywhereIsTheTitle() {
        String html = "<html><head><title>T</title></head><body><h1>Heading one</h1>"
                + "<p>Alpha <b>beta</b>\n   gamma.</p><h3>Sub</h3><ul><li>one</li><li>two</li></ul>"
                + "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td><p>b</p></td></tr></table>"
                + "<pre>  code\n    indented</pre><script>alert('x')</script></body></html>";
        Page page = extractor.extract("g/p", "g", "relative/p.html", html);

        assertThat(page.title()).isEqualTo("Heading one");
        assertThat(page.url()).isEqualTo("relative/p.html");
        assertThat(page.sections()).hasSize(2);
        assertThat(page.sections().get(0).text()).isEqualTo("Alpha beta gamma.");
        assertThat(page.sections().get(1).headingPath()).containsExactly("Sub");
        assertThat(page.sections().get(1).text()).isEqualTo("- one\n- two\n\nk | v\na | b\n\n  code\n    indented");
    }

    @Test
    void feedbackWidgetIsRemovedByItsTextButContentMentioningItStays() {
        String html = "<div id=\"main-col-body\"><h1>T</h1><p>Real content.</p>"
                + "<div class=\"w\"><span>Did this page help you?</span><a>Yes</a><a>No</a></div>"
                + "<h2>Surveys</h2><p>" + "A long paragraph about surveys. ".repeat(30)
                + "Ask readers: did this page help you? Then act on it.</p></div>";
        Page page = extractor.extract("g/p", "g", "u", html);

        assertThat(page.sections()).hasSize(2);
        assertThat(page.sections().get(0).text()).isEqualTo("Real content.");
        assertThat(page.sections().get(1).text()).contains("did this page help you? Then act on it.");
    }

    private static String text(Page page) {
        StringBuilder sb = new StringBuilder(page.title()).append('\n');
        for (Page.Section s : page.sections()) {
            sb.append(String.join(" > ", s.headingPath())).append('\n').append(s.text()).append('\n');
        }
        return sb.toString();
    }
}
