package dev.docsearch.service;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The server-rendered page as HTML over HTTP: what it shows, what it escapes, and that it needs no script. */
class SearchPageTest extends ServedDefaultRelease {

    @Test
    void homePageOffersTheSearchBoxExamplesAndTheRelease() {
        HttpResponse<String> r = http.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body())
                .contains("<form class=\"search\" action=\"/\" method=\"get\"")
                .contains("name=\"q\"").contains("autofocus")
                .contains("href=\"/?q=s3+bucket+versioning\"")
                .contains("<code id=\"release\">" + releaseId + "</code>")
                .contains("<script src=\"/assets/app.js\" defer></script>")
                .doesNotContain("<script>").doesNotContain("style=\"");
        assertThat(http.get("/?q=%20%20").body()).contains("Search the AWS documentation");
    }

    @Test
    void aResultsTitleLinksToItsSection() {
        String body = http.get("/?q=" + HttpProbe.encode("Bucket Versioning choose Edit then Enable in the console Properties")).body();
        assertThat(body).contains("<a class=\"title\" id=\"result-1-link\" href=\"https://docs.example.com/"
                + "amazon-s3-userguide/Versioning.html#enabling-versioning-on-buckets\">Using versioning in S3 buckets</a>");
    }

    @Test
    void resultsPageShowsResultsChipsModesAndTime() {
        String body = http.get("/?q=" + HttpProbe.encode("bucket versioning")).body();
        assertThat(body).contains("<ol class=\"results\" id=\"results\" start=\"1\">").contains("<mark>")
                .contains("class=\"chip active\" aria-current=\"page\" href=\"/?q=bucket+versioning\">All guides")
                .contains("data-guide=\"amazon-s3-userguide\" href=\"/?q=bucket+versioning&amp;guide=amazon-s3-userguide\">Amazon S3 User Guide")
                .contains("class=\"mode active\" aria-current=\"page\" data-mode=\"hybrid\"")
                .contains("href=\"/?q=bucket+versioning&amp;mode=keyword\"")
                .containsPattern("<span id=\"count\">\\d+</span> pages · \\d+\\.\\d ms")
                .contains("<title>bucket versioning · docsearch</title>");

        String filtered = http.get("/?q=bucket+versioning&guide=amazon-s3-userguide&mode=keyword").body();
        assertThat(filtered).contains("class=\"chip active\" aria-current=\"page\" data-guide=\"amazon-s3-userguide\"")
                .contains("class=\"mode active\" aria-current=\"page\" data-mode=\"keyword\"")
                .contains("<input type=\"hidden\" name=\"mode\" value=\"keyword\">")
                .doesNotContain("data-guide=\"aws-lambda-developer-guide\">Aws");
    }

    @Test
    void everythingFromTheRequestAndTheIndexIsEscaped() {
        String attack = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
        HttpResponse<String> r = http.get("/?q=" + HttpProbe.encode(attack));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("<script>alert").doesNotContain("<img")
                .contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;\"");

        String hostile = http.get("/?q=" + HttpProbe.encode("flow logs title with markup")).body();
        assertThat(hostile).contains("Escaping &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;")
                .contains("&lt;script&gt;alert(&#39;section&#39;)&lt;/script&gt;")
                .doesNotContain("href=\"javascript:")
                .contains("<span class=\"title\">Escaping");
    }

    @Test
    void noResultsAndErrorsAreExplained() {
        String none = http.get("/?q=xyzzyplugh&mode=keyword").body();
        assertThat(none).contains("id=\"no-results\"").contains("No pages match <q>xyzzyplugh</q>")
                .contains("href=\"/?q=xyzzyplugh&amp;mode=semantic\">Try semantic search</a>");
        String noneInGuide = http.get("/?q=lambda&mode=keyword&guide=amazon-vpc-user-guide").body();
        assertThat(noneInGuide).contains("Search all guides");

        HttpResponse<String> tooLong = http.get("/?q=" + "a".repeat(600));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("id=\"problem\"").contains("600 characters long; at most 512");
        HttpResponse<String> badK = http.get("/?q=lambda&k=1000");
        assertThat(badK.statusCode()).isEqualTo(400);
        assertThat(badK.body()).contains("k must be in 1..100");
    }

    @Test
    void pagesAreLinkedWithNextAndPrevious() {
        String first = http.get("/?q=instance&k=2").body();
        assertThat(first).contains("<ol class=\"results\" id=\"results\" start=\"1\">")
                .contains("href=\"/?q=instance&amp;k=2&amp;page=2\">Next</a>").doesNotContain(">Previous</a>");
        String second = http.get("/?q=instance&k=2&page=2").body();
        assertThat(second).contains("start=\"3\"").contains("id=\"result-3\"")
                .contains("href=\"/?q=instance&amp;k=2\">Previous</a>").contains("Page 2 of");
        HttpResponse<String> badPage = http.get("/?q=instance&page=99");
        assertThat(badPage.statusCode()).isEqualTo(400);
        assertThat(badPage.body()).contains("id=\"problem\"").contains("page must be in 1..10");
    }

    @Test
    void misspellingsOfferTheCorrectionAndCardsExplainThemselves() {
        String body = http.get("/?q=bukcet+versoning").body();
        assertThat(body).contains("<p class=\"did-you-mean\" id=\"did-you-mean\">Did you mean "
                + "<a href=\"/?q=bucket+versioning\"><em>bucket versioning</em></a>?</p>");
        // The breadcrumb (guide, page, section) and the ranks each retriever gave the page.
        assertThat(body).contains("<div class=\"meta crumbs\"><span class=\"badge\" data-guide=\"amazon-s3-userguide\">"
                + "Amazon S3 User Guide</span><span class=\"page\">Using versioning in S3 buckets</span>");
        assertThat(body).containsPattern("<summary>Why this result</summary><p>keyword rank <span class=\"rank-keyword\">\\d+"
                + "</span> · vector rank <span class=\"rank-semantic\">\\d+</span>");
        assertThat(http.get("/?q=bucket+versioning").body()).doesNotContain("did-you-mean");
    }

    @Test
    void assetsAreServedWithTypesAndCaching() {
        HttpResponse<String> css = http.get("/assets/app.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(css.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(css.body()).contains(".snippet mark");
        HttpResponse<String> js = http.get("/assets/app.js");
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.body()).contains("addEventListener('keydown'");
    }
}
