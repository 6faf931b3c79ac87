package dev.docsearch.pipeline.cli;

import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.release.ChunkStore;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deep links on a real release of the bundled sample: every chunk under a heading links to an anchor that its
 * page's markdown really declares on a heading ({@code <a name="...">}), and the text before a page's first
 * heading links to the page itself.
 */
class SectionLinksTest {

    @Test
    void everyChunkLinksToAnAnchorItsPageDeclaresOnAHeading() throws Exception {
        Path sample = DocsSiteFixture.sample();
        ReleaseStore store = new ReleaseStore(SampleRelease.root());
        Map<String, List<String>> sources = new HashMap<>();
        int headed = 0;
        int linked = 0;
        List<String> wrong = new ArrayList<>();
        try (ChunkStore chunks = ChunkStore.open(store.releaseDir(store.current().orElseThrow()))) {
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                if (c.sectionPath().isEmpty()) {
                    assertThat(c.sectionUrl()).as(c.id()).isEqualTo(c.url());
                    continue;
                }
                headed++;
                if (c.anchor().isEmpty()) {
                    continue;
                }
                linked++;
                assertThat(c.sectionUrl()).as(c.id()).isEqualTo(c.url() + "#" + c.anchor());
                List<String> lines = sources.computeIfAbsent(c.pageId(), page -> read(sample.resolve(page + ".md")));
                String declaration = "<a name=\"" + c.anchor() + "\"></a>";
                if (lines.stream().noneMatch(l -> l.stripLeading().startsWith("#") && l.contains(declaration))) {
                    wrong.add(c.id() + " -> #" + c.anchor());
                }
            }
        }
        System.out.printf("section links: %d of %d chunks under a heading link to their section%n", linked, headed);
        assertThat(wrong).as("anchors no heading of the page declares").isEmpty();
        assertThat(headed).isPositive();
        // The AWS sources mark (nearly) every heading; a section without its own falls back to the one above it.
        assertThat((double) linked / headed).as("share of headed chunks with a deep link").isGreaterThanOrEqualTo(0.95);
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
