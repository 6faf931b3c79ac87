package dev.docsearch.core.keyword;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * BEIR SciFact as read from {@code <shared data>/scifact}: corpus, queries and test judgements.
 *
 * @param docs    in corpus order
 * @param queries query id -> text, for the judged test queries only
 * @param qrels   query id -> (doc id -> relevance)
 */
record SciFact(List<Doc> docs, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {

    record Doc(String id, String title, String text) {
    }

    /** The SciFact directory under the shared data, or null when the data is absent. */
    static Path locate() {
        String shared = System.getProperty("docsearch.shared.data");
        if (shared == null) {
            return null;
        }
        Path dir = Path.of(shared, "scifact");
        return Files.isRegularFile(dir.resolve("corpus.jsonl.gz")) ? dir : null;
    }

    static SciFact load(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Doc> docs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(dir.resolve("corpus.jsonl.gz"))), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    JsonNode n = json.readTree(line);
                    docs.add(new Doc(n.get("_id").asText(), n.path("title").asText(""), n.path("text").asText("")));
                }
            }
        }
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("qrels/test.tsv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) { // header: query-id corpus-id score
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2].trim()));
            }
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode n = json.readTree(line);
                String id = n.get("_id").asText();
                if (qrels.containsKey(id)) {
                    queries.put(id, n.get("text").asText());
                }
            }
        }
        if (queries.size() != qrels.size()) {
            throw new IOException("SciFact: " + qrels.size() + " judged queries but " + queries.size() + " texts");
        }
        return new SciFact(docs, queries, qrels);
    }
}
