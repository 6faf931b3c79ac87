package dev.docsearch.core.eval;

import dev.docsearch.core.model.Page;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Textbook BM25 (Lucene's EnglishAnalyzer, title and text in one field, k1=1.2, b=0.75), the configuration
 * behind the published SciFact baselines. It is scored next to docsearch's own keyword ranking so a reader
 * can tell "our BM25 is implemented right" (this one must land on the published 0.665–0.679) apart from
 * "our analyzer and field weights help" (the keyword mode's figure).
 */
final class ReferenceBm25 {

    private ReferenceBm25() {
    }

    static Evaluator.Scores evaluate(BeirDataset data) throws IOException {
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory(); EnglishAnalyzer analyzer = new EnglishAnalyzer()) {
            try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
                for (Page p : data.pages()) {
                    Document d = new Document();
                    d.add(new StringField("id", p.id(), Field.Store.YES));
                    StringBuilder text = new StringBuilder(p.title());
                    p.sections().forEach(s -> text.append('\n').append(s.text()));
                    d.add(new TextField("text", text.toString(), Field.Store.NO));
                    w.addDocument(d);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                QueryParser parser = new QueryParser("text", analyzer);
                double ndcg = 0;
                double mrr = 0;
                double recall = 0;
                for (Map.Entry<String, String> q : data.queries().entrySet()) {
                    Query query;
                    try {
                        query = parser.parse(QueryParser.escape(q.getValue()));
                    } catch (ParseException e) {
                        throw new IOException("query " + q.getKey() + " does not parse: " + e.getMessage(), e);
                    }
                    List<String> ranked = new ArrayList<>();
                    for (ScoreDoc sd : searcher.search(query, 100).scoreDocs) {
                        ranked.add(searcher.storedFields().document(sd.doc).get("id"));
                    }
                    Map<String, Integer> relevant = data.qrels().get(q.getKey());
                    ndcg += RankingMetrics.ndcg(ranked, relevant, 10);
                    mrr += RankingMetrics.mrr(ranked, relevant, 10);
                    recall += RankingMetrics.recall(ranked, relevant, 100);
                }
                int n = Math.max(1, data.queries().size());
                return new Evaluator.Scores("bm25-reference", ndcg / n, mrr / n, recall / n, data.queries().size(), 0, 0);
            }
        }
    }
}
