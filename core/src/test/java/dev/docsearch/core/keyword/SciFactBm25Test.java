package dev.docsearch.core.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.docsearch.core.model.Chunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
        Path data = SciFact.locate();
        assumeTrue(data != null, "SciFact not found under the docsearch.shared.data system property ("
                + System.getProperty("docsearch.shared.data") + "/scifact); skipping the quality check");
        SciFact sciFact = SciFact.load(data);
        assertThat(sciFact.docs()).hasSize(5183);
        assertThat(sciFact.queries()).hasSize(300);

        // one chunk per abstract: its title as the chunk's title, its text as the body
        long start = System.nanoTime();
        try (KeywordIndexWriter writer = new KeywordIndexWriter(tmp.resolve("keyword"))) {
            for (int i = 0; i < sciFact.docs().size(); i++) {
                SciFact.Doc d = sciFact.docs().get(i);
                writer.add(i, new Chunk(d.id() + "#0", d.id(), "scifact:" + d.id(), d.title(), "scifact", List.of(), d.text()));
            }
        }
        long indexMs = (System.nanoTime() - start) / 1_000_000;

        Map<String, List<String>> rankings = new HashMap<>();
        start = System.nanoTime();
        try (KeywordIndex index = KeywordIndex.open(tmp.resolve("keyword"))) {
            for (Map.Entry<String, String> q : sciFact.queries().entrySet()) {
                List<String> ids = new ArrayList<>();
                for (KeywordHit hit : index.search(q.getValue(), 10)) {
                    ids.add(sciFact.docs().get(hit.ordinal()).id());
                }
                rankings.put(q.getKey(), ids);
            }
        }
        long searchMs = (System.nanoTime() - start) / 1_000_000;
        double ndcg = Ndcg.mean(10, rankings, sciFact.qrels());
        LOG.info("SciFact keyword nDCG@10 = {} ({} docs indexed in {} ms, {} queries in {} ms)",
                String.format("%.4f", ndcg), sciFact.docs().size(), indexMs, sciFact.queries().size(), searchMs);
        assertThat(ndcg).isGreaterThanOrEqualTo(0.645);
    }
}
