package dev.docsearch.core.keyword;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SnippetHighlighterTest {

    private static final SnippetHighlighter SNIPPETS = new SnippetHighlighter();

    @AfterAll
    static void close() {
        SNIPPETS.close();
    }

    /** What a reader sees: tags gone, each entity one character. */
    static String visible(String html) {
        return html.replace("<mark>", "").replace("</mark>", "").replaceAll("&[#a-zA-Z0-9]+;", "_");
    }

    static void assertSafe(String html) {
        String outsideMarks = html.replace("<mark>", "").replace("</mark>", "");
        assertThat(outsideMarks).doesNotContain("<", ">", "\"", "'");
        assertThat(html.split("<mark>", -1).length).isEqualTo(html.split("</mark>", -1).length);
    }

    @Test
    void marksAnIdentifierPartInsideAWholeIdentifier() {
        String text = "Grant s3:PutObject on arn:aws:s3:::bucket/* to the role.";
        assertThat(SNIPPETS.snippet("PutObject", text)).contains("s3:<mark>PutObject</mark> on");
        assertThat(SNIPPETS.snippet("put object", text)).contains("s3:<mark>PutObject</mark> on");
        assertThat(SNIPPETS.snippet("s3:PutObject", text)).contains("<mark>s3:PutObject</mark>");
        assertThat(SNIPPETS.snippet("t3", "Launch a t3.medium instance.")).isEqualTo("Launch a <mark>t3</mark>.medium instance.");
        assertThat(SNIPPETS.snippet("dry-run", "Try --dry-run first.")).isEqualTo("Try --<mark>dry-run</mark> first.");
    }

    @Test
    void marksStemmedMatches() {
        assertThat(SNIPPETS.snippet("encrypting buckets", "Encryption of a bucket is on by default."))
                .isEqualTo("<mark>Encryption</mark> of a <mark>bucket</mark> is on by default.");
    }

    @Test
    void escapesTheTextAndTheQueryCannotInjectMarkup() {
        String text = "Use <script>alert('x')</script> & \"quotes\" in s3:PutObject calls.";
        String html = SNIPPETS.snippet("<script>alert(1)</script> PutObject", text);
        assertSafe(html);
        assertThat(html).doesNotContain("<script").contains("&lt;", "&amp;", "&quot;", "<mark>PutObject</mark>");
        assertSafe(SNIPPETS.snippet("\"><img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)> img"));
    }

    @Test
    void cutsAPassageAroundTheMatchFromALongText() {
        String text = "Amazon S3 stores data in buckets. ".repeat(20)
                + "To upload, call PutObject with the key. " + "Other words follow here. ".repeat(20);
        String html = SNIPPETS.snippet("PutObject", text);
        assertThat(html).contains("<mark>PutObject</mark>").startsWith("\u2026").endsWith("\u2026");
        assertThat(visible(html).length()).isBetween(150, 340);
    }

    @Test
    void withoutAMatchTheSnippetIsTheOpening() {
        String text = "First words of the chunk. " + "More text here. ".repeat(40);
        String html = SNIPPETS.snippet("nothing matches", text);
        assertThat(html).startsWith("First words of the chunk.").endsWith("\u2026").doesNotContain("<mark>");
        assertThat(visible(html).length()).isLessThanOrEqualTo(340);
        assertThat(SNIPPETS.snippet("", "short text")).isEqualTo("short text");
        assertThat(SNIPPETS.snippet("bucket", "")).isEmpty();
    }

    @Test
    void whitespaceIsCollapsed() {
        assertThat(SNIPPETS.snippet("bucket", "  line one\n\n\tbucket  two \n")).isEqualTo("line one <mark>bucket</mark> two");
    }

    @Test
    void concurrentCallsGiveTheSequentialSnippets() throws Exception {
        String text = "Grant s3:PutObject on the bucket. " + "Other words about t3.medium instances here. ".repeat(12);
        List<String> queries = List.of("PutObject", "t3", "bucket words", "medium instances", "nothing", "<b>");
        List<String> expected = new ArrayList<>();
        for (String q : queries) {
            expected.add(SNIPPETS.snippet(q, text));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < queries.size(); i++) {
                            assertThat(SNIPPETS.snippet(queries.get(i), text)).isEqualTo(expected.get(i));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostileQueriesAndTextsAlwaysGiveSafeHtml() {
        Random random = new Random(99);
        for (String q : HostileStrings.QUERIES) {
            assertSafe(SNIPPETS.snippet(q, "A <b>bold</b> claim about s3:PutObject & \"t3.medium\"."));
        }
        for (int i = 0; i < 1000; i++) {
            String q = HostileStrings.random(random, 40);
            String text = HostileStrings.random(random, 600) + " <script>x</script> " + q;
            assertSafe(SNIPPETS.snippet(q, text));
        }
    }
}
