package dev.docsearch.service.reload;

import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.keyword.SnippetHighlighter;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.search.SearchRequest;
import dev.docsearch.service.TestCorpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reference counting of live releases on real ones: a swapped-out release lives exactly as long as its last lease. */
class ReleaseHolderTest {

    @TempDir
    static Path root;
    static String first;
    static String second;
    static SnippetHighlighter highlighter;
    static LoadedModels models;
    static ReleaseLoader loader;

    @BeforeAll
    static void build() throws Exception {
        first = TestCorpus.publishDefault(root);
        second = TestCorpus.build(root, TestCorpus.PAGES.subList(0, 8), first).id();
        highlighter = new SnippetHighlighter();
        models = new LoadedModels(new ModelStore(root), EmbedderOptions.defaults(), 16);
        loader = new ReleaseLoader(new ReleaseStore(root), models, highlighter::snippet, 100, Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        models.close();
        highlighter.close();
    }

    @Test
    void aSwappedOutReleaseClosesWhenItsLastLeaseIsReturned() throws Exception {
        ReleaseHolder holder = new ReleaseHolder();
        assertThat(holder.acquire()).isEmpty();
        ServingRelease a = loader.load(first, true);
        holder.swap(a);
        assertThat(a.references()).isEqualTo(1);

        ReleaseHolder.Lease inFlight = holder.acquire().orElseThrow();
        assertThat(a.references()).isEqualTo(2);
        ServingRelease b = loader.load(second, false);
        holder.swap(b);
        assertThat(holder.liveId()).hasValue(second);
        assertThat(loader.openReleases()).isEqualTo(2);
        assertThat(models.size()).as("both releases share one loaded model").isEqualTo(1);

        // The request that began on the first release finishes on it, although it is no longer live.
        assertThat(inFlight.release().searcher().search(SearchRequest.of("versioning", 3)).releaseId()).isEqualTo(first);
        assertThat(a.references()).isEqualTo(1);
        inFlight.close();
        inFlight.close(); // harmless
        assertThat(a.references()).isZero();
        assertThat(loader.openReleases()).isEqualTo(1);
        assertThat(a.tryIncRef()).as("a closed release cannot be acquired again").isFalse();

        try (ReleaseHolder.Lease lease = holder.acquire().orElseThrow()) {
            assertThat(lease.release().id()).isEqualTo(second);
        }
        holder.close();
        assertThat(holder.acquire()).isEmpty();
        assertThat(loader.openReleases()).isZero();
        assertThat(models.size()).as("the model is unloaded with its last release").isZero();

        // After close, a release handed in by a late load is closed at once.
        ServingRelease late = loader.load(first, false);
        holder.swap(late);
        assertThat(late.references()).isZero();
        assertThat(loader.openReleases()).isZero();
    }

    @Test
    void aFailedLoadLeavesNothingOpen() throws Exception {
        String broken = TestCorpus.build(root, TestCorpus.PAGES.subList(3, 9), first).id();
        Files.delete(root.resolve("releases").resolve(broken).resolve("vectors.faiss"));
        int before = loader.openReleases();
        assertThatThrownBy(() -> loader.load(broken, false)).isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("vectors.faiss is missing");
        assertThat(loader.openReleases()).isEqualTo(before);
        assertThat(models.size()).isZero();
    }
}
