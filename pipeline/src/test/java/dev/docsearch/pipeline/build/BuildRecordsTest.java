package dev.docsearch.pipeline.build;

import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.ReleaseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a build remembers: page changes against the parent, the corpus digest, and records that survive a restart. */
class BuildRecordsTest {

    private static Page page(String id, String text) {
        return new Page(id, "https://docs.example.com/" + id + ".html", "Title of " + id, "guide",
                List.of(new Page.Section(List.of(), text)));
    }

    @Test
    void changesAreCountedAgainstTheParentsPageHashes() {
        Map<String, String> parent = Map.of("a", "1", "b", "2", "c", "3");
        Map<String, String> now = Map.of("a", "1", "b", "22", "d", "4");
        PageChanges c = PageChanges.between(parent, now);
        assertThat(c).isEqualTo(new PageChanges(1, 1, 1, 1));
        assertThat(c.summary()).isEqualTo("pages_added=1 pages_changed=1 pages_removed=1 pages_unchanged=1");
        assertThat(PageChanges.between(Map.of(), now)).isEqualTo(new PageChanges(3, 0, 0, 0));
    }

    @Test
    void theCorpusDigestDependsOnContentNotOnListingOrder() {
        CorpusSnapshot one = CorpusSnapshot.of(List.of(page("g/b", "beta"), page("g/a", "alpha")));
        CorpusSnapshot two = CorpusSnapshot.of(List.of(page("g/a", "alpha"), page("g/b", "beta")));
        assertThat(one.pages()).extracting(Page::id).containsExactly("g/a", "g/b");
        assertThat(one.digest()).isEqualTo(two.digest());
        assertThat(CorpusSnapshot.of(List.of(page("g/a", "alpha"), page("g/b", "beta!"))).digest())
                .isNotEqualTo(one.digest());
        assertThatThrownBy(() -> CorpusSnapshot.of(List.of(page("g/a", "x"), page("g/a", "y"))))
                .hasMessageContaining("g/a appears twice");
    }

    @Test
    void recordsRoundTripAndArePrunedWithTheirReleases(@TempDir Path root) throws Exception {
        BuildRecords records = new BuildRecords(root);
        String id1 = ReleaseStore.newReleaseId(Instant.now());
        String id2 = ReleaseStore.newReleaseId(Instant.now());
        BuildRecord r1 = new BuildRecord(BuildRecord.FORMAT, id1, null, "digest-1", 2, 5, new PageChanges(2, 0, 0, 0),
                5, 0, 1234, Map.of("g/a", "h1", "g/b", "h2"), "sections-v1");
        records.write(r1);
        records.write(new BuildRecord(BuildRecord.FORMAT, id2, id1, "digest-2", 2, 5, new PageChanges(0, 1, 0, 1),
                1, 4, 99, Map.of("g/a", "h1", "g/b", "h3"), null));
        assertThat(records.read(id1)).contains(r1);
        assertThat(records.read(id2).orElseThrow().changes().changed()).isEqualTo(1);
        assertThat(records.read(ReleaseStore.newReleaseId(Instant.now()))).isEmpty();

        Files.writeString(records.directory().resolve(id2 + ".json"), "{ torn");
        assertThat(records.read(id2)).isEmpty(); // unreadable: as if absent, so the next update rebuilds

        assertThat(records.retainOnly(List.of(id1))).isEqualTo(1);
        assertThat(records.read(id1)).isPresent();
        try (var files = Files.list(records.directory())) {
            assertThat(files).hasSize(1);
        }
    }
}
