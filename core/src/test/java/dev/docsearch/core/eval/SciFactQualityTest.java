package dev.docsearch.core.eval;

import dev.docsearch.core.chunk.ChunkingParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The quality bar of the whole stack on BEIR SciFact (real model, real indexes): the two retrievers match
 * their published figures, and hybrid ranking beats both. Takes a few minutes (5,183 documents embedded).
 */
class SciFactQualityTest {

    @TempDir
    Path root;

    @Test
    void keywordAndSemanticMatchPublishedFiguresAndHybridBeatsBoth() throws Exception {
        Path scifact = Path.of(System.getProperty("docsearch.shared.data", "../shared/data")).resolve("scifact");
        assumeThat(Files.isDirectory(scifact)).as("SciFact not found at " + scifact + "; skipping the quality test").isTrue();

        List<Evaluator.Scores> scores = BeirEvaluation.run(scifact, root, "test", Runtime.getRuntime().availableProcessors(),
                ChunkingParameters.WHOLE_SECTIONS);
        Map<String, Evaluator.Scores> byMode = scores.stream().collect(Collectors.toMap(Evaluator.Scores::mode, Function.identity()));
        scores.forEach(s -> System.out.println("scifact " + s.toJson()));

        assertThat(byMode.get("bm25-reference").ndcgAt10()).as("textbook BM25 vs published 0.665 (BEIR) / 0.679 (Anserini)")
                .isBetween(0.645, 0.699);
        assertThat(byMode.get("keyword").ndcgAt10()).as("docsearch's BM25F with the AWS analyzer")
                .isGreaterThanOrEqualTo(byMode.get("bm25-reference").ndcgAt10() - 0.01);
        assertThat(byMode.get("semantic").ndcgAt10()).as("MiniLM vs published 0.645").isBetween(0.625, 0.665);
        double hybrid = byMode.get("hybrid").ndcgAt10();
        assertThat(hybrid).isGreaterThanOrEqualTo(0.70)
                .isGreaterThan(byMode.get("keyword").ndcgAt10())
                .isGreaterThan(byMode.get("semantic").ndcgAt10());
        assertThat(byMode.get("hybrid").recallAt100()).isGreaterThan(byMode.get("semantic").recallAt100());
        assertThat(byMode.get("linear").ndcgAt10()).isGreaterThan(byMode.get("semantic").ndcgAt10());
        assertThat(scores).allSatisfy(s -> assertThat(s.queries()).isEqualTo(300));
    }
}
