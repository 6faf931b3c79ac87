package dev.docsearch.core.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.docsearch.core.eval.BeirDataset;
import dev.docsearch.core.eval.RankingMetrics;
import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.model.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyword retrieval quality on BEIR SciFact (5,183 abstracts, 300 test claims): nDCG@10 must be
 * within 0.02 of published BM25 (0.665 BEIR, 0.679 Anserini on title + text).
 */
class SciFactBm25Test {

    private static final Logger LOG = LoggerFactory.getLogger(SciFactBm25Test.class);

    @Test
    void ndcgAt10ReachesPublishedBm25(@TempDir Path tmp) throws IOException {
        Path data = Path.of(System.getProperty("docsearch.shared.data", "../shared/data")).resolve("scifact");
        assumeThat(BeirDataset.hasCorpus(data)).as("SciFact not found at " + data + "; skipping the quality check")
                .isTrue();
        BeirDataset sciFact = BeirDataset.load(data, "test");
        assertThat(sciFact.pages()).hasSize(5183);
        assertThat(sciFact.queries()).hasSize(300);

        // one chunk per abstract: its title as the chunk's title, its text as the body
        long start = System.nanoTime();
        try (KeywordIndexWriter writer = new KeywordIndexWriter(tmp.resolve("keyword"))) {
            for (int i = 0; i < sciFact.pages().size(); i++) {
                Page d = sciFact.pages().get(i);
                writer.add(i, new Chunk(d.id() + "#0", d.id(), "scifact:" + d.id(), d.title(), "scifact", List.of(),
                        d.sections().get(0).text()));
            }
        }
        long indexMs = (System.nanoTime() - start) / 1_000_000;

        double sum = 0;
        start = System.nanoTime();
        try (KeywordIndex index = KeywordIndex.open(tmp.resolve("keyword"))) {
            for (Map.Entry<String, String> q : sciFact.queries().entrySet()) {
                List<String> ids = new ArrayList<>();
                for (KeywordHit hit : index.search(q.getValue(), 10)) {
                    ids.add(sciFact.pages().get(hit.ordinal()).id());
                }
                sum += RankingMetrics.ndcg(ids, sciFact.qrels().get(q.getKey()), 10);
            }
        }
        long searchMs = (System.nanoTime() - start) / 1_000_000;
        double ndcg = sum / sciFact.qrels().size();
        LOG.info("SciFact keyword nDCG@10 = {} ({} docs indexed in {} ms, {} queries in {} ms)",
                String.format("%.4f", ndcg), sciFact.pages().size(), indexMs, sciFact.queries().size(), searchMs);
        assertThat(ndcg).isGreaterThanOrEqualTo(0.645);
    }
}
