package dev.docsearch.core.eval;

import dev.docsearch.core.model.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading a BEIR dataset and sampling its corpus for the suite's quality check. */
class BeirDatasetTest {

    /** 40 documents d0..d39; q1 judges d3 and d30, q2 judges d7. */
    private static Path dataset(Path dir) throws IOException {
        Path d = Files.createDirectories(dir.resolve("tiny"));
        Files.writeString(d.resolve("corpus.jsonl"), IntStream.range(0, 40)
                .mapToObj(i -> "{\"_id\": \"d" + i + "\", \"title\": \"T" + i + "\", \"text\": \"text " + i + "\"}")
                .collect(Collectors.joining("\n")));
        Files.writeString(d.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "first"}
                {"_id": "q2", "text": "second"}
                {"_id": "q3", "text": "never judged"}
                """);
        Files.createDirectories(d.resolve("qrels"));
        Files.writeString(d.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td3\t1\nq1\td30\t1\nq2\td7\t2\n");
        return d;
    }

    @Test
    void loadsTheCorpusAndOnlyJudgedQueries(@TempDir Path dir) throws IOException {
        BeirDataset data = BeirDataset.load(dataset(dir), "test");
        assertThat(data.name()).isEqualTo("tiny");
        assertThat(data.pages()).hasSize(40);
        assertThat(data.pages().get(5).title()).isEqualTo("T5");
        assertThat(data.queries()).containsOnlyKeys("q1", "q2");
        assertThat(data.qrels().get("q1")).containsOnlyKeys("d3", "d30");
    }

    @Test
    void aCorpusSampleKeepsEveryJudgedDocumentAndTheSameQueries(@TempDir Path dir) throws IOException {
        BeirDataset data = BeirDataset.load(dataset(dir), "test");
        BeirDataset sample = data.withCorpusSample(10);

        List<String> ids = sample.pages().stream().map(Page::id).toList();
        assertThat(ids).hasSize(10).doesNotHaveDuplicates().contains("d3", "d7", "d30");
        assertThat(sample.queries()).isEqualTo(data.queries());
        assertThat(sample.qrels()).isEqualTo(data.qrels());
        // corpus order is kept, and the same sample comes back every time
        List<String> inCorpusOrder = data.pages().stream().map(Page::id).filter(ids::contains).toList();
        assertThat(ids).isEqualTo(inCorpusOrder);
        assertThat(data.withCorpusSample(10).pages()).isEqualTo(sample.pages());
        // the distractors are spread over the corpus, not its first ids
        assertThat(ids).isNotEqualTo(List.of("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d30"));
        assertThat(data.withCorpusSample(40).pages()).isEqualTo(data.pages());
    }

    @Test
    void aSampleTooSmallForTheJudgedDocumentsIsRefused(@TempDir Path dir) throws IOException {
        BeirDataset data = BeirDataset.load(dataset(dir), "test");
        assertThatThrownBy(() -> data.withCorpusSample(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a corpus sample of 2 documents cannot hold the 3 judged ones of tiny");
    }
}
