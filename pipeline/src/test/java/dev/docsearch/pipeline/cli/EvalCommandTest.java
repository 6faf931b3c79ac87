package dev.docsearch.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docsearch eval} on a small BEIR-format dataset: building a release of it, and scoring an existing one. */
class EvalCommandTest {

    private static Path dataset(Path dir, String name, int docs) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        String[][] corpus = {
                {"d1", "Bucket versioning", "Versioning keeps every version of every object in an S3 bucket so you can restore it."},
                {"d2", "Lambda timeouts", "A Lambda function may run for at most 900 seconds before it times out."},
                {"d3", "Security groups", "A security group is a virtual firewall that controls inbound and outbound traffic."},
                {"d4", "DynamoDB throttling", "Requests above the provisioned capacity are throttled with an exception."},
                {"d5", "Instance types", "A t3.medium instance has two vCPUs and four GiB of memory."},
                {"d6", "KMS keys", "Server-side encryption with KMS keys protects objects at rest."}};
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < docs; i++) {
            c.append(new ObjectMapper().writeValueAsString(java.util.Map.of("_id", corpus[i][0], "title", corpus[i][1],
                    "text", corpus[i][2]))).append('\n');
        }
        Files.writeString(d.resolve("corpus.jsonl"), c);
        Files.writeString(d.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "restore an old version of an object"}
                {"_id": "q2", "text": "how long can a function run"}
                {"_id": "q3", "text": "firewall for inbound traffic"}
                """);
        Files.createDirectories(d.resolve("qrels"));
        Files.writeString(d.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t1\n");
        return d;
    }

    @Test
    void evalBuildsAReleaseOfTheDatasetThenScoresItAgainByItsId(@TempDir Path dir) throws Exception {
        Path data = dataset(dir, "tiny", 6);
        Path root = dir.resolve("eval-root");
        CliRun.Result built = CliRun.run("eval", data.toString(), "--root", root.toString(), "--json", "--threads", "2");
        assertThat(built.code()).as(built.toString()).isZero();
        List<JsonNode> modes = json(built.out());
        assertThat(modes).extracting(n -> n.path("mode").asText())
                .containsExactly("keyword", "semantic", "hybrid", "rrf", "linear", "convex", "bm25-reference");
        for (JsonNode m : modes) {
            assertThat(m.path("queries").asInt()).isEqualTo(3);
            assertThat(m.path("recall@100").asDouble()).as(m.toString()).isEqualTo(1.0);
        }
        JsonNode semantic = modes.get(1);
        assertThat(semantic.path("ndcg@10").asDouble()).isGreaterThan(0.9);

        String id = new dev.docsearch.core.release.ReleaseStore(root).current().orElseThrow();
        CliRun.Result again = CliRun.run("eval", data.toString(), "--root", root.toString(), "--release", id);
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("hybrid").contains("summary: dataset=tiny queries=3");
        // The same release, scored without building: the same figures.
        assertThat(again.out()).containsPattern("semantic\\s+" + String.format(java.util.Locale.ROOT, "%.4f",
                semantic.path("ndcg@10").asDouble()));

        Path smaller = dataset(dir, "smaller", 4);
        CliRun.Result mismatch = CliRun.run("eval", smaller.toString(), "--root", root.toString(), "--release", id);
        assertThat(mismatch.code()).as(mismatch.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(mismatch.err()).contains("does not hold dataset smaller: it has 6 pages, the dataset 4 documents");
    }

    @Test
    void evalRefusesToWorkInAPipelineArtifactRoot(@TempDir Path dir) throws Exception {
        Path data = dataset(dir, "tiny", 3);
        Path root = Files.createDirectories(dir.resolve("artifacts/corpus"));
        CliRun.Result r = CliRun.run("eval", data.toString(), "--root", root.getParent().toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("is a pipeline artifact root");
    }

    private static List<JsonNode> json(String lines) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                out.add(new ObjectMapper().readTree(line));
            }
        }
        return out;
    }
}
