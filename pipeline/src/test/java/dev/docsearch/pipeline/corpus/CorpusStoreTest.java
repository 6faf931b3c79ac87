package dev.docsearch.pipeline.corpus;

import dev.docsearch.core.io.AtomicFiles;
import dev.docsearch.core.model.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorpusStoreTest {

    private static final Page A = page("g/a", "alpha");
    private static final Page B = page("g/b", "beta");

    private static Page page(String id, String text) {
        return new Page(id, "https://docs.example.com/" + id + ".html", "Title of " + id, "g",
                List.of(new Page.Section(List.of(), "Intro of " + id), new Page.Section(List.of("H2", "H3"), text)));
    }

    private static PageState state(Page page) {
        return new PageState(page.id(), page.url(), Instant.parse("2024-01-01T00:00:00Z"), "\"etag\"",
                "Mon, 01 Jan 2024 00:00:00 GMT", PageDigest.of(page), Instant.now());
    }

    @Test
    void recordsAreJournaledThenCommittedAtomically(@TempDir Path root) throws Exception {
        try (CorpusStore store = CorpusStore.open(root)) {
            assertThat(store.committed()).isEmpty();
            store.record(state(A), A);
            store.record(state(B), B);
            assertThat(Files.readAllLines(root.resolve("corpus/journal.jsonl"))).hasSize(2);
            assertThat(root.resolve("corpus/index.json")).doesNotExist();
        }
        // A new store (a crawl after a crash) finds both in the journal, none committed.
        try (CorpusStore store = CorpusStore.open(root)) {
            assertThat(store.committed()).isEmpty();
            assertThat(store.pending()).containsOnlyKeys("g/a", "g/b");
            assertThat(store.readPage(store.pending().get("g/a").contentHash())).isEqualTo(A);
            store.commit(store.pending().values());
            assertThat(store.committed()).containsOnlyKeys("g/a", "g/b");
            assertThat(store.pending()).isEmpty();
            assertThat(root.resolve("corpus/journal.jsonl")).doesNotExist();
        }
        try (CorpusStore store = CorpusStore.open(root)) {
            assertThat(store.committedPages()).containsExactly(A, B);
            assertThat(store.committed().get("g/b").lastmod()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
            assertThat(store.committed().get("g/b").validators().etag()).isEqualTo("\"etag\"");
        }
    }

    @Test
    void commitDeletesPageFilesNothingRefersTo(@TempDir Path root) throws Exception {
        Page v1 = page("g/a", "first version");
        Page v2 = page("g/a", "second version");
        try (CorpusStore store = CorpusStore.open(root)) {
            store.record(state(v1), v1);
            store.commit(List.of(state(v1)));
            store.record(state(v2), v2);
            store.commit(List.of(state(v2)));
            assertThat(pageFiles(root)).containsExactly(PageDigest.of(v2) + ".json");
            assertThat(store.committedPages()).containsExactly(v2);
        }
    }

    @Test
    void tornJournalLinesAndCrashLeftoversAreSurvived(@TempDir Path root) throws Exception {
        try (CorpusStore store = CorpusStore.open(root)) {
            store.record(state(A), A);
            store.record(state(B), B);
        }
        Path journal = root.resolve("corpus/journal.jsonl");
        // A crash mid-append leaves half a line; a crash mid-write leaves a temporary file.
        Files.writeString(journal, "{\"id\":\"g/c\",\"location\":\"x\",\"conte", StandardOpenOption.APPEND);
        Path temp = root.resolve("corpus/pages/ab/.abcdef.json" + AtomicFiles.TEMP_MARK + "1234");
        Files.createDirectories(temp.getParent());
        Files.writeString(temp, "{\"half");
        // A journal entry whose page file vanished is not trusted.
        Files.delete(root.resolve("corpus/pages").resolve(PageDigest.of(B).substring(0, 2))
                .resolve(PageDigest.of(B) + ".json"));

        try (CorpusStore store = CorpusStore.open(root)) {
            assertThat(store.pending()).containsOnlyKeys("g/a");
            assertThat(temp).doesNotExist();
            store.commit(store.pending().values());
        }
    }

    @Test
    void unreadableIndexIsAClearErrorNotAnEmptyCorpus(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("corpus"));
        Files.writeString(root.resolve("corpus/index.json"), "{ not json", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CorpusStore.open(root))
                .hasMessageContaining("corpus index")
                .hasMessageContaining("is unreadable");
    }

    @Test
    void commitRefusesStatesWithoutPageFiles(@TempDir Path root) throws Exception {
        try (CorpusStore store = CorpusStore.open(root)) {
            assertThatThrownBy(() -> store.commit(List.of(state(A))))
                    .hasMessageContaining("cannot commit page g/a: its page file");
            assertThat(root.resolve("corpus/index.json")).doesNotExist();
        }
    }

    @Test
    void unwritableRootIsAClearError(@TempDir Path root) throws Exception {
        // Tests run as root, for whom permission bits do not stop writes; a file where the corpus
        // folder should be does.
        Files.writeString(root.resolve("corpus"), "not a folder");
        assertThatThrownBy(() -> CorpusStore.open(root))
                .hasMessageStartingWith("cannot create the corpus folder " + root.resolve("corpus"));
    }

    @Test
    void digestCoversEverythingTheIndexHolds() {
        Page p = page("g/a", "text");
        assertThat(PageDigest.of(p)).isEqualTo(PageDigest.of(page("g/a", "text"))).hasSize(64);
        assertThat(PageDigest.of(p)).isNotEqualTo(PageDigest.of(page("g/a", "text!")));
        assertThat(PageDigest.of(p)).isNotEqualTo(PageDigest.of(
                new Page(p.id(), p.url(), "Other title", p.guide(), p.sections())));
        assertThat(PageDigest.of(p)).isNotEqualTo(PageDigest.of(new Page(p.id(), p.url(), p.title(), p.guide(),
                List.of(new Page.Section(List.of(), "Intro of g/a"), new Page.Section(List.of("H2"), "text")))));
    }

    private static List<String> pageFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root.resolve("corpus/pages"))) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
