package dev.docsearch.core.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Loading a docs dev set (typed queries, graded qrels, no corpus) and restricting it to a release's pages. */
class JudgedQueriesTest {

    private static Path devSet(Path dir, String qrels) throws IOException {
        Path d = Files.createDirectories(dir.resolve("tiny-dev"));
        Files.writeString(d.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "restore a deleted file", "metadata": {"type": "question", "in_sample": true}}

                {"_id": "q2", "text": "s3 lifecycle expiration", "metadata": {"type": "keyword", "in_sample": false}}
                {"_id": "q3", "text": "NoSuchBucket"}
                {"_id": "q4", "text": "never judged", "metadata": {"type": "topic"}}
                {"_id": "q5", "text": "cdk deploy", "metadata": {"type": "question"}}
                """);
        Files.createDirectories(d.resolve("qrels"));
        Files.writeString(d.resolve("qrels/test.tsv"), qrels);
        return d;
    }

    private static final String QRELS = "query-id\tcorpus-id\tscore\n"
            + "q1\tguide/p1\t2\n"
            + "q1\tguide/p2\t1\n"
            + "\n"
            + "q2\tguide/p2\t2\r\n"
            + "q2\tguide/p3\t1\n"
            + "q3\tguide/p3\t2\n"
            + "q5\tguide/p4\t2\n"
            + "q9\tguide/p1\t2\n";

    @Test
    void loadsTypedQueriesWithTheirGradesInFileOrder(@TempDir Path dir) throws Exception {
        Path d = devSet(dir, QRELS);
        assertThat(BeirDataset.hasCorpus(d)).isFalse();

        JudgedQueries set = JudgedQueries.load(d, "test");
        assertThat(set.name()).isEqualTo("tiny-dev");
        // q4 has no judgement, q9 no query: neither is kept.
        assertThat(set.queries()).extracting(JudgedQueries.Query::id).containsExactly("q1", "q2", "q3", "q5");
        assertThat(set.types()).containsExactly("question", "keyword", JudgedQueries.UNTYPED);
        Map<String, JudgedQueries.Query> byId = set.queries().stream()
                .collect(Collectors.toMap(JudgedQueries.Query::id, Function.identity()));
        JudgedQueries.Query q1 = byId.get("q1");
        assertThat(q1.text()).isEqualTo("restore a deleted file");
        assertThat(q1.type()).isEqualTo("question");
        assertThat(q1.inSample()).isTrue();
        assertThat(q1.grades()).containsExactly(Map.entry("guide/p1", 2), Map.entry("guide/p2", 1));
        assertThat(byId.get("q2").inSample()).isFalse();
        assertThat(byId.get("q2").grades()).containsExactly(Map.entry("guide/p2", 2), Map.entry("guide/p3", 1));
        assertThat(byId.get("q3").type()).isEqualTo(JudgedQueries.UNTYPED);
        assertThat(byId.get("q3").inSample()).isFalse();
        assertThat(set.queries()).allSatisfy(q -> assertThat(q.hasAnswer()).isTrue());
    }

    @Test
    void withinAReleaseDropsMissingPagesThenQueriesWithoutAnAnswer(@TempDir Path dir) throws Exception {
        JudgedQueries set = JudgedQueries.load(devSet(dir, QRELS), "test");
        JudgedQueries kept = set.within(Set.of("guide/p1", "guide/p3", "other/page"));
        // q1 keeps its grade-2 p1; q2 keeps only p3 (grade 1): no answer left, skipped; q3 keeps p3; q5 loses p4.
        assertThat(kept.queries()).extracting(JudgedQueries.Query::id).containsExactly("q1", "q3");
        assertThat(kept.queries().get(0).grades()).containsExactly(Map.entry("guide/p1", 2));
        assertThat(kept.queries().get(1).grades()).containsExactly(Map.entry("guide/p3", 2));
        assertThat(kept.types()).containsExactly("question", JudgedQueries.UNTYPED);
        assertThat(kept.name()).isEqualTo(set.name());
        assertThat(set.queries()).hasSize(4); // the original is untouched
        assertThat(set.within(Set.of()).queries()).isEmpty();
    }

    @Test
    void malformedFilesAreRefusedWithTheirLine(@TempDir Path dir) throws Exception {
        Path badScore = devSet(dir.resolve("a"), "query-id\tcorpus-id\tscore\nq1\tguide/p1\t2\nq2\tguide/p2\thigh\n");
        assertThatThrownBy(() -> JudgedQueries.load(badScore, "test"))
                .isInstanceOf(IOException.class).hasMessageContaining("line 3").hasMessageContaining("'high'");

        Path shortRow = devSet(dir.resolve("b"), "query-id\tcorpus-id\tscore\nq1 guide/p1 2\n");
        assertThatThrownBy(() -> JudgedQueries.load(shortRow, "test"))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2");

        Path noQrels = devSet(dir.resolve("c"), QRELS);
        assertThatThrownBy(() -> JudgedQueries.load(noQrels, "dev"))
                .isInstanceOf(IOException.class).hasMessageContaining("dev.tsv is missing");

        Path notJson = devSet(dir.resolve("d"), QRELS);
        Files.writeString(notJson.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"ok\"}\n{not json\n");
        assertThatThrownBy(() -> JudgedQueries.load(notJson, "test"))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2").hasMessageContaining("not JSON");

        Path twice = devSet(dir.resolve("e"), QRELS);
        Files.writeString(twice.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"a\"}\n{\"_id\": \"q1\", \"text\": \"b\"}\n");
        assertThatThrownBy(() -> JudgedQueries.load(twice, "test"))
                .isInstanceOf(IOException.class).hasMessageContaining("q1 appears twice");
    }

    @Test
    void theAwsDocsDevSetLoadsAsItsReadmeDescribesIt() throws Exception {
        Path awsdocsDev = Path.of("../eval/awsdocs-dev");
        assumeThat(Files.isDirectory(awsdocsDev)).as(awsdocsDev.toAbsolutePath() + " not found").isTrue();
        assertThat(BeirDataset.hasCorpus(awsdocsDev)).isFalse();
        JudgedQueries set = JudgedQueries.load(awsdocsDev, "test");
        assertThat(set.queries()).hasSize(96).allSatisfy(q -> assertThat(q.hasAnswer()).isTrue());
        assertThat(set.types()).containsExactlyInAnyOrder("question", "keyword", "identifier", "topic");
        assertThat(set.queries().stream().collect(Collectors.groupingBy(JudgedQueries.Query::type, Collectors.counting())))
                .allSatisfy((type, n) -> assertThat(n).as(type).isEqualTo(24L));
        assertThat(set.queries().stream().filter(JudgedQueries.Query::inSample).count()).isEqualTo(62);
        assertThat(set.queries().stream().mapToInt(q -> q.grades().size()).sum()).isEqualTo(439);
    }
}
