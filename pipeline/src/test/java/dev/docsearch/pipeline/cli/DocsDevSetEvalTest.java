package dev.docsearch.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.core.release.ReleaseStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docsearch eval eval/awsdocs-dev}: the AWS docs dev set (no corpus; graded over page ids) scored per query
 * type on a release of the bundled sample that {@code docsearch update} built, without building anything itself.
 */
class DocsDevSetEvalTest {

    /** Tests run in the module's directory. */
    private static final String AWSDOCS_DEV = "../eval/awsdocs-dev";
    private static final List<String> VARIANTS = List.of("keyword", "semantic", "hybrid", "rrf", "linear", "convex");
    private static final List<String> TYPES = List.of("question", "keyword", "identifier", "topic", "all");

    @Test
    void evalScoresTheDevSetPerQueryTypeOnAnExistingReleaseOfTheSample(@TempDir Path empty) throws Exception {
        assertThat(Path.of(AWSDOCS_DEV).resolve("queries.jsonl")).isRegularFile();

        // No release yet: refused in one line, and nothing is built.
        CliRun.Result none = CliRun.run("eval", AWSDOCS_DEV, "--root", empty.toString());
        assertThat(none.code()).as(none.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("no release to score in").doesNotContain("Exception");
        assertThat(none.err().strip().lines()).hasSize(1);
        assertThat(empty.resolve(ReleaseStore.RELEASES)).doesNotExist();

        Path root = SampleRelease.root();
        ReleaseStore store = new ReleaseStore(root);
        List<String> releases = store.ids();
        String live = store.current().orElseThrow();

        // The table: every variant, every type and overall; the judged pages outside the sample are dropped.
        CliRun.Result table = CliRun.run("eval", AWSDOCS_DEV, "--root", root.toString(), "--threads", "2");
        assertThat(table.code()).as(table.toString()).isZero();
        for (String variant : VARIANTS) {
            for (String type : TYPES) {
                assertThat(table.out()).as(table.toString())
                        .containsPattern("(?m)^" + variant + "\\s+" + type + "\\s+[1-9][0-9]*\\s+[01]\\.[0-9]{4}\\s");
            }
        }
        int scored = table.figure("queries");
        int skipped = table.figure("skipped");
        System.out.println("awsdocs-dev on the sample:\n" + table.out());
        assertThat(scored).as("queries scored (62 are in_sample)").isGreaterThan(30).isLessThanOrEqualTo(62);
        assertThat(scored + skipped).isEqualTo(96);
        assertThat(table.out()).contains("queries skipped: " + skipped + ", no judged page in this release");
        assertThat(table.value("release")).isEqualTo(live);
        assertThat(table.value("dataset")).isEqualTo("awsdocs-dev");
        // It built and published nothing.
        assertThat(store.ids()).isEqualTo(releases);
        assertThat(store.current()).contains(live);

        // --json: one object per variant per type, the summary on stderr; the same figures as the table.
        CliRun.Result json = CliRun.run("eval", AWSDOCS_DEV, "--root", root.toString(), "--release", live,
                "--json", "--threads", "2");
        assertThat(json.code()).as(json.toString()).isZero();
        assertThat(json.err()).contains("summary: dataset=awsdocs-dev release=" + live);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : json.out().split("\n")) {
            if (!line.isBlank()) {
                rows.add(new ObjectMapper().readTree(line));
            }
        }
        assertThat(rows).hasSize(VARIANTS.size() * TYPES.size());
        for (String variant : VARIANTS) {
            List<JsonNode> ofVariant = rows.stream().filter(r -> r.path("mode").asText().equals(variant)).toList();
            assertThat(ofVariant).extracting(r -> r.path("type").asText()).containsExactlyElementsOf(TYPES);
            int typed = 0;
            for (JsonNode r : ofVariant) {
                for (String figure : List.of("ndcg@10", "mrr@10", "recall@100", "top3")) {
                    assertThat(r.path(figure).isNumber()).as(r + " has " + figure).isTrue();
                    assertThat(r.path(figure).asDouble()).as(r.toString()).isBetween(0.0, 1.0);
                }
                if (!r.path("type").asText().equals("all")) {
                    assertThat(r.path("queries").asInt()).as(r.toString()).isPositive();
                    typed += r.path("queries").asInt();
                }
            }
            JsonNode all = ofVariant.get(ofVariant.size() - 1);
            assertThat(all.path("queries").asInt()).isEqualTo(scored).isEqualTo(typed);
            assertThat(table.out()).containsPattern("(?m)^" + variant + "\\s+all\\s+" + scored + "\\s+"
                    + String.format(Locale.ROOT, "%.4f", all.path("ndcg@10").asDouble()) + "\\s");
        }
        JsonNode hybrid = rows.stream().filter(r -> r.path("mode").asText().equals("hybrid")
                && r.path("type").asText().equals("all")).findFirst().orElseThrow();
        assertThat(hybrid.path("ndcg@10").asDouble()).as(hybrid.toString()).isPositive();
        assertThat(hybrid.path("top3").asDouble()).as(hybrid.toString()).isPositive();

        // The question weight moves only queries that read as questions: keyword and identifier queries are
        // terms, so their hybrid rows are the same with questions fused like terms (weight 1).
        CliRun.Result flat = CliRun.run("eval", AWSDOCS_DEV, "--root", root.toString(), "--json",
                "--question-weight", "1");
        assertThat(flat.code()).as(flat.toString()).isZero();
        for (String type : List.of("keyword", "identifier")) {
            assertThat(row(flat.out(), "hybrid", type).path("ndcg@10").asDouble()).as(type)
                    .isEqualTo(row(json.out(), "hybrid", type).path("ndcg@10").asDouble());
        }

        // Likewise the identifier weight moves only pasted identifiers: questions are never fused as those.
        CliRun.Result idFlat = CliRun.run("eval", AWSDOCS_DEV, "--root", root.toString(), "--json",
                "--identifier-weight", "1");
        assertThat(idFlat.code()).as(idFlat.toString()).isZero();
        assertThat(row(idFlat.out(), "hybrid", "question").path("ndcg@10").asDouble())
                .isEqualTo(row(json.out(), "hybrid", "question").path("ndcg@10").asDouble());

        // What does not apply, or is not there, is refused.
        CliRun.Result zero = CliRun.run("eval", AWSDOCS_DEV, "--root", root.toString(), "--question-weight", "0");
        assertThat(zero.code()).as(zero.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(zero.err()).contains("--question-weight must be in (0, 100], was 0.0");
        CliRun.Result chunked = CliRun.run("eval", AWSDOCS_DEV, "--root", root.toString(), "--chunk-tokens", "64");
        assertThat(chunked.code()).as(chunked.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(chunked.err()).contains("--chunk-tokens does not apply to a docs dev set");
        String absent = "20000101T000000000Z-000000";
        CliRun.Result missing = CliRun.run("eval", AWSDOCS_DEV, "--root", root.toString(), "--release", absent);
        assertThat(missing.code()).as(missing.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("no release " + absent);
    }

    private static JsonNode row(String jsonLines, String mode, String type) throws Exception {
        for (String line : jsonLines.strip().split("\n")) {
            JsonNode r = new ObjectMapper().readTree(line);
            if (r.path("mode").asText().equals(mode) && r.path("type").asText().equals(type)) {
                return r;
            }
        }
        throw new AssertionError("no " + mode + "/" + type + " row in " + jsonLines);
    }
}
