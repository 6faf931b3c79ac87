package dev.docsearch.pipeline.extract;

import dev.docsearch.core.model.Page;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class MarkdownPagesTest {

    private final MarkdownPages pages = new MarkdownPages();

    @Test
    void titleIsTheFirstHashHeadingAndSectionsNestByLevel() {
        String md = """
                Intro before the title.

                # The title<a name="top"></a>

                Lead text.

                ## First<a name="first"></a>

                First text.

                ### First child

                Child text.

                #### Deep

                Deep text.

                ## Second

                Second text.
                """;
        Page page = pages.toPage("g/p", "u", "g", md);

        assertThat(page.title()).isEqualTo("The title");
        assertThat(page.sections()).extracting(Page.Section::headingPath).containsExactly(
                List.of(), List.of(), List.of("First"), List.of("First", "First child"),
                List.of("First", "First child", "Deep"), List.of("Second"));
        assertThat(page.sections()).extracting(Page.Section::text).containsExactly(
                "Intro before the title.", "Lead text.", "First text.", "Child text.", "Deep text.", "Second text.");
    }

    @Test
    void eachSectionLinksByItsHeadingsAnchorOrTheNearestOneAbove() {
        String md = """
                # The title<a name="top"></a>

                Lead text.

                ## First<a name="first"></a>

                First text.

                ### First child

                Child text.

                ## Second <a id='second-id'></a>

                Second text.

                ## Third

                Third text.
                """;
        Page page = pages.toPage("g/p", "https://docs.example.com/g/p.html", "g", md);

        assertThat(page.sections()).extracting(Page.Section::text, Page.Section::anchor).containsExactly(
                tuple("Lead text.", ""), // under the title: the page's top is its link
                tuple("First text.", "first"),
                tuple("Child text.", "first"), // no anchor of its own: the parent heading's
                tuple("Second text.", "second-id"),
                tuple("Third text.", ""));
        assertThat(page.sections()).extracting(Page.Section::headingPath).contains(List.of("First", "First child"));
    }

    @Test
    void anchorsAndBackslashEscapesAreDropped() {
        String md = "# Using S3\\.<a name=\"Using\"></a>\n\n"
                + "## Versioning\\-enabled buckets<a name=\"versioning-states\"></a>\n\n"
                + "Buckets \\(the default\\) can be in one of three states\\. See [the guide](other.md)\\.\n";
        Page page = pages.toPage("g/p", "u", "g", md);

        assertThat(page.title()).isEqualTo("Using S3.");
        assertThat(page.sections()).singleElement().satisfies(s -> {
            assertThat(s.headingPath()).containsExactly("Versioning-enabled buckets");
            assertThat(s.text()).isEqualTo("Buckets (the default) can be in one of three states. See the guide.");
        });
    }

    @Test
    void codeBlocksKeepTheirTextAndLayout() {
        String md = """
                # Code

                Run this:

                ```
                aws s3 ls \\
                    --recursive  s3://bucket/a_b*
                ```

                    indented code
                      keeps indentation

                After.
                """;
        Page page = pages.toPage("g/p", "u", "g", md);

        assertThat(page.sections()).singleElement().extracting(Page.Section::text).isEqualTo(
                "Run this:\n\naws s3 ls \\\n    --recursive  s3://bucket/a_b*\n\n"
                        + "indented code\n  keeps indentation\n\nAfter.");
    }

    @Test
    void tablesBecomeOneLinePerRowWithCellsSeparated() {
        String md = """
                # Codes

                | HTTP error code | Description |
                | --- | --- |
                | 301 Moved Permanently | Redirects \\(see below\\)\\. |
                | 404 Not Found | **Missing** object\\. |
                """;
        Page page = pages.toPage("g/p", "u", "g", md);

        assertThat(page.sections()).singleElement().extracting(Page.Section::text).isEqualTo(
                "HTTP error code | Description\n"
                        + "301 Moved Permanently | Redirects (see below).\n"
                        + "404 Not Found | Missing object.");
    }

    @Test
    void listsStayReadableAndImagesAreDropped() {
        String md = """
                # Lists

                Three states:
                + Unversioned \\(the default\\)
                + Versioning\\-enabled

                1. Open the console\\.

                1. Choose **Buckets**\\.

                ![\\[Diagram of buckets\\]](http://docs.aws.amazon.com/images/x.png)
                """;
        Page page = pages.toPage("g/p", "u", "g", md);

        assertThat(page.sections()).singleElement().extracting(Page.Section::text).isEqualTo(
                "Three states:\n\n- Unversioned (the default)\n- Versioning-enabled\n\n"
                        + "1. Open the console.\n2. Choose Buckets.");
    }

    @Test
    void pageWithoutHeadingTakesItsTitleFromTheId() {
        Page page = pages.toPage("guide/some-page", "u", "guide", "Just text.\n");
        assertThat(page.title()).isEqualTo("some-page");
        assertThat(page.sections()).singleElement().extracting(Page.Section::text).isEqualTo("Just text.");
    }

    @Test
    void realAwsPageConvertsCleanly() throws Exception {
        Path awsdocs = DocsSiteFixture.requireAwsdocs();
        String md = Files.readString(awsdocs.resolve("amazon-s3-userguide/Versioning.md"));
        Page page = pages.toPage("amazon-s3-userguide/Versioning", "u", "amazon-s3-userguide", md);

        assertThat(page.title()).isEqualTo("Using versioning in S3 buckets");
        assertThat(page.sections()).extracting(Page.Section::headingPath).contains(
                List.of(), List.of("Unversioned, versioning-enabled, and versioning-suspended buckets"),
                List.of("Using S3 Versioning with S3 Lifecycle"));
        assertThat(page.sections().get(0).text())
                .startsWith("Versioning in Amazon S3 is a means of keeping multiple variants of an object in the same bucket.");
        String all = String.join("\n", page.sections().stream().map(Page.Section::text).toList());
        assertThat(all).doesNotContain("<a name", "\\.", "\\-", "\\(", "](");
        assertThat(all).contains("Versioning-enabled buckets can help you recover objects");
    }
}
