package dev.docsearch.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docsearch eval} on a small BEIR-format dataset: building a release of it, and scoring an existing one. */
class EvalCommandTest {

    private static final String[][] CORPUS = {
            {"d1", "Bucket versioning", "Versioning keeps every version of every object in an S3 bucket so you can restore it."},
            {"d2", "Lambda timeouts", "A Lambda function may run for at most 900 seconds before it times out."},
            {"d3", "Security groups", "A security group is a virtual firewall that controls inbound and outbound traffic."},
            {"d4", "DynamoDB throttling", "Requests above the provisioned capacity are throttled with an exception."},
            {"d5", "Instance types", "A t3.medium instance has two vCPUs and four GiB of memory."},
            {"d6", "KMS keys", "Server-side encryption with KMS keys protects objects at rest."}};

    /** Each query with the one document that answers it. */
    private static final String[][] QUERIES = {
            {"q1", "restore an old version of an object", "d1"},
            {"q2", "how long can a function run", "d2"},
            {"q3", "firewall for inbound traffic", "d3"}};

    /** A BEIR dataset of the first {@code docs} documents of {@link #CORPUS} and all of {@link #QUERIES}. */
    private static Path dataset(Path dir, String name, int docs) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        ObjectMapper json = new ObjectMapper();
        StringBuilder corpus = new StringBuilder();
        for (String[] doc : Arrays.copyOf(CORPUS, docs)) {
            corpus.append(json.writeValueAsString(Map.of("_id", doc[0], "title", doc[1], "text", doc[2]))).append('\n');
        }
        Files.writeString(d.resolve("corpus.jsonl"), corpus);
        StringBuilder queries = new StringBuilder();
        StringBuilder qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
        for (String[] query : QUERIES) {
            queries.append(json.writeValueAsString(Map.of("_id", query[0], "text", query[1]))).append('\n');
            qrels.append(query[0]).append('\t').append(query[2]).append("\t1\n");
        }
        Files.writeString(d.resolve("queries.jsonl"), queries);
        Files.createDirectories(d.resolve("qrels"));
        Files.writeString(d.resolve("qrels/test.tsv"), qrels);
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
