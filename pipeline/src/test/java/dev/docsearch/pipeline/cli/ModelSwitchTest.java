package dev.docsearch.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model is chosen per release: an update with another {@code --model} re-embeds every chunk (no vector of the
 * old model is reused, so a release never mixes two), publishes although no page changed, and the release is
 * searched with the model it was built with.
 */
class ModelSwitchTest {

    private static final String LOGS = "amazon-cloudwatch-logs-user-guide";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anotherModelRebuildsEveryChunkAndTheReleaseIsSearchedWithIt(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = SmallSite.start(4, LOGS)) {
            List<String> flags = SmallSite.updateFlags(root, site);
            ReleaseStore store = new ReleaseStore(root);
            BundledModel first = BundledModel.ALL_MINILM_L6_V2_Q;
            BundledModel second = BundledModel.BGE_SMALL_EN_V15_Q;

            CliRun.Result built = CliRun.run(SmallSite.args("update", flags, "--model", first.name()));
            assertThat(built.code()).as(built.toString()).isZero();
            Manifest m1 = store.verify(built.value("release"));
            assertThat(m1.model().name()).isEqualTo(first.name());
            assertThat(m1.model().sha256()).isEqualTo(first.sha256());

            CliRun.Result same = CliRun.run(SmallSite.args("update", flags, "--model", first.name()));
            assertThat(same.code()).as(same.toString()).isEqualTo(ExitCode.NOTHING_TO_PUBLISH);

            CliRun.Result switched = CliRun.run(SmallSite.args("update", flags, "--model", second.name()));
            assertThat(switched.code()).as(switched.toString()).isZero();
            Manifest m2 = store.verify(switched.value("release"));
            assertThat(m2.model().name()).isEqualTo(second.name());
            assertThat(m2.model().sha256()).isEqualTo(second.sha256());
            assertThat(m2.parent()).isEqualTo(m1.id());
            assertThat(switched.figure("chunks_reused")).isZero();
            assertThat(switched.figure("chunks_embedded")).isEqualTo(m2.chunks()).isEqualTo(m1.chunks());
            assertThat(store.current()).contains(m2.id());

            // Searched with bge (its query instruction and CLS pooling): the page is found by meaning alone.
            CliRun.Result search = CliRun.run("search", "keep log data for a limited number of days", "--root",
                    root.toString(), "--mode", "semantic", "--k", "4", "--json");
            assertThat(search.code()).as(search.toString()).isZero();
            JsonNode hits = JSON.readTree(search.out()).path("hits");
            assertThat(hits.size()).isPositive();
            assertThat(search.err()).contains(" model=" + second.name() + " ");

            CliRun.Result unknown = CliRun.run(SmallSite.args("update", flags, "--model", "bert-large"));
            assertThat(unknown.code()).isEqualTo(ExitCode.USAGE);
            assertThat(unknown.err()).contains("unknown model 'bert-large' (bundled: " + BundledModel.names() + ")");
            assertThat(store.current()).contains(m2.id());
        }
    }
}
