package dev.docsearch.pipeline.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RobotsRulesTest {

    @Test
    void ourGroupTakesPrecedenceOverStar() {
        RobotsRules rules = RobotsRules.parse("""
                User-agent: *
                Disallow: /

                # our own group
                User-agent: otherbot
                User-agent: DocSearch
                Disallow: /private/
                Allow: /private/public-page.html
                Crawl-delay: 1.5
                """, "docsearch");
        assertThat(List.of("/guide/page.html", "/private/public-page.html")).allMatch(rules::allows);
        assertThat(rules.allows("/private/secret.html")).isFalse();
        assertThat(rules.crawlDelay()).contains(Duration.ofMillis(1500));
    }

    @Test
    void starAppliesWhenWeAreNotNamed() {
        RobotsRules rules = RobotsRules.parse("User-agent: *\nDisallow: /tmp/\n\nUser-agent: otherbot\nDisallow: /\n",
                "docsearch");
        assertThat(rules.allows("/tmp/x")).isFalse();
        assertThat(rules.allows("/docs/x")).isTrue();
    }

    @Test
    void longestMatchWinsAndAllowWinsTies() {
        RobotsRules rules = RobotsRules.parse("""
                User-agent: *
                Disallow: /a/
                Allow: /a/b/
                Disallow: /a/b/c
                Allow: /x
                Disallow: /x
                """, "docsearch");
        assertThat(List.of("/a/z", "/a/b/cd")).noneMatch(rules::allows);
        assertThat(List.of("/a/b/z", "/x/y")).allMatch(rules::allows);
    }

    @Test
    void wildcardsAndEndAnchor() {
        RobotsRules rules = RobotsRules.parse("""
                User-agent: *
                Disallow: /*.pdf$
                Disallow: /*/drafts/
                Disallow: *?print=
                """, "docsearch");
        assertThat(List.of("/guide/file.pdf", "/guide/drafts/x.html", "/page.html?print=1")).noneMatch(rules::allows);
        assertThat(List.of("/guide/file.pdf.html", "/drafts/x.html", "/page.html")).allMatch(rules::allows);
    }

    @Test
    void emptyDisallowAndNoRulesAllowEverything() {
        assertThat(RobotsRules.parse("User-agent: *\nDisallow:\n", "docsearch").allows("/anything")).isTrue();
        assertThat(RobotsRules.parse("", "docsearch").allows("/anything")).isTrue();
        assertThat(RobotsRules.parse("garbage without colons\n\n", "docsearch").allows("/a")).isTrue();
        assertThat(RobotsRules.ALLOW_ALL.allows("/a")).isTrue();
        // robots.txt itself is always allowed
        assertThat(RobotsRules.parse("User-agent: *\nDisallow: /\n", "docsearch").allows("/robots.txt")).isTrue();
    }

    @Test
    void aGroupNamingUsWithoutRulesStillShieldsUsFromStar() {
        RobotsRules rules = RobotsRules.parse("User-agent: docsearch\n\nUser-agent: *\nDisallow: /\n", "docsearch");
        // "User-agent: docsearch" directly followed by another User-agent line joins their group.
        assertThat(rules.allows("/a")).isFalse();
        RobotsRules separate = RobotsRules.parse("User-agent: docsearch\nAllow: /\n\nUser-agent: *\nDisallow: /\n", "docsearch");
        assertThat(separate.allows("/a")).isTrue();
    }
}
