package dev.docsearch.core.chunk;

import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.model.Page;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkerTest {

    /** One token per whitespace-separated word: makes the bounds exact and easy to reason about. */
    private static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    private static String words(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.joining(" "));
    }

    private static Page page(Page.Section... sections) {
        return new Page("guide/page", "https://example.com/page.html", "Page Title", "guide", List.of(sections));
    }

    @Test
    void everyChunkOfASectionLinksToThatSection() {
        Chunker chunker = new Chunker(new ChunkingParameters(20, 5, 0), WORDS);
        List<Chunk> chunks = chunker.chunk(page(
                new Page.Section(List.of(), "Intro text here.", ""),
                new Page.Section(List.of("Setup"), words("s", 50), "setup")));

        assertThat(chunks).hasSizeGreaterThan(2);
        assertThat(chunks.get(0).anchor()).isEmpty();
        assertThat(chunks.get(0).sectionUrl()).isEqualTo("https://example.com/page.html");
        assertThat(chunks.subList(1, chunks.size())).allSatisfy(c -> {
            assertThat(c.anchor()).isEqualTo("setup");
            assertThat(c.sectionUrl()).isEqualTo("https://example.com/page.html#setup");
        });
        // a URL that already names a fragment, or none at all, is left as it is
        assertThat(new Chunk("p#0", "p", "https://x/p.html#top", "T", "g", List.of(), "t", "setup").sectionUrl())
                .isEqualTo("https://x/p.html#top");
        assertThat(new Chunk("p#0", "p", "", "T", "g", List.of(), "t", "setup").sectionUrl()).isEmpty();
    }

    @Test
    void shortSectionsBecomeOneChunkEachWithTheirHeadingPath() {
        Chunker chunker = new Chunker(new ChunkingParameters(50, 10, 0), WORDS);
        List<Chunk> chunks = chunker.chunk(page(
                new Page.Section(List.of(), "Intro text here."),
                new Page.Section(List.of("Setup"), "Setup text."),
                new Page.Section(List.of("Setup", "Linux"), "Linux text.")));

        assertThat(chunks).extracting(Chunk::id).containsExactly("guide/page#0", "guide/page#1", "guide/page#2");
        assertThat(chunks).extracting(Chunk::section).containsExactly("", "Setup", "Setup > Linux");
        assertThat(chunks.get(2).text()).isEqualTo("Linux text.");
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.pageId()).isEqualTo("guide/page");
            assertThat(c.title()).isEqualTo("Page Title");
            assertThat(c.guide()).isEqualTo("guide");
        });
    }

    @Test
    void embeddingTextStartsWithTitleAndSectionHeading() {
        Chunker chunker = new Chunker(new ChunkingParameters(50, 10, 0), WORDS);
        Chunk c = chunker.chunk(page(new Page.Section(List.of("Setup", "Linux"), "Install it."))).get(0);
        assertThat(c.embeddingText()).isEqualTo("Page Title - Linux\nInstall it.");
    }

    @Test
    void longSectionIsSplitWithinBoundsAndWithOverlap() {
        ChunkingParameters p = new ChunkingParameters(40, 8, 0);
        Chunker chunker = new Chunker(p, WORDS);
        // 10 paragraphs of 12 words: 120 words, must need several chunks of <= 40 words.
        String text = IntStream.range(0, 10).mapToObj(i -> words("p" + i + "w", 12)).collect(Collectors.joining("\n\n"));
        List<Chunk> chunks = chunker.chunk(page(new Page.Section(List.of("Big"), text)));

        assertThat(chunks.size()).isGreaterThanOrEqualTo(3);
        assertThat(chunks).allSatisfy(c -> assertThat(WORDS.count(c.text())).isLessThanOrEqualTo(40));
        // Every paragraph appears somewhere, and consecutive chunks share their boundary paragraph.
        for (int i = 0; i < 10; i++) {
            String para = words("p" + i + "w", 12);
            assertThat(chunks).anySatisfy(c -> assertThat(c.text()).contains(para));
        }
        for (int i = 1; i < chunks.size(); i++) {
            String firstParagraph = chunks.get(i).text().split("\n\n")[0];
            assertThat(chunks.get(i - 1).text()).contains(firstParagraph);
        }
    }

    @Test
    void overlongParagraphIsSplitAtSentencesThenWords() {
        ChunkingParameters p = new ChunkingParameters(30, 0, 0);
        Chunker chunker = new Chunker(p, WORDS);
        String sentences = IntStream.range(0, 8).mapToObj(i -> words("S" + i + "w", 9) + ".").collect(Collectors.joining(" "));
        String runOn = words("r", 100); // one sentence of 100 words: must be cut at words
        List<Chunk> chunks = chunker.chunk(page(new Page.Section(List.of("A"), sentences + "\n\n" + runOn)));

        assertThat(chunks).allSatisfy(c -> assertThat(WORDS.count(c.text())).isLessThanOrEqualTo(30));
        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
        for (int i = 0; i < 100; i++) {
            assertThat(all).contains("r" + i);
        }
        // No sentence of the first paragraph is cut in the middle.
        for (int i = 0; i < 8; i++) {
            String s = words("S" + i + "w", 9) + ".";
            assertThat(chunks).anySatisfy(c -> assertThat(c.text()).contains(s));
        }
    }

    @Test
    void tinySectionIsFoldedIntoPreviousChunkWithItsHeading() {
        Chunker chunker = new Chunker(new ChunkingParameters(50, 0, 5), WORDS);
        List<Chunk> chunks = chunker.chunk(page(
                new Page.Section(List.of("Overview"), words("o", 20)),
                new Page.Section(List.of("Note"), "Tiny note.")));
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).text()).endsWith("Note\nTiny note.");
        assertThat(chunks.get(0).section()).isEqualTo("Overview");
    }

    @Test
    void emptySectionsYieldNoChunks() {
        Chunker chunker = new Chunker(ChunkingParameters.DEFAULT, WORDS);
        assertThat(chunker.chunk(page(new Page.Section(List.of("Empty"), "  \n\n  ")))).isEmpty();
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> new ChunkingParameters(8, 0, 0)).hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> new ChunkingParameters(100, 60, 0)).hasMessageContaining("overlapTokens");
        assertThatThrownBy(() -> new ChunkingParameters(100, 10, 200)).hasMessageContaining("minTokens");
    }
}
