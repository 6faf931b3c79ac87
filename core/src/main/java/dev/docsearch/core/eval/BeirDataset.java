package dev.docsearch.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.core.model.Page;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A dataset in BEIR's format: {@code corpus.jsonl[.gz]}, {@code queries.jsonl}, {@code qrels/<split>.tsv}.
 *
 * @param name    dataset name (the directory name)
 * @param pages   the corpus, one page per document (one section, title kept apart)
 * @param queries query id to text, only queries judged in the split
 * @param qrels   query id to (document id to graded relevance)
 */
public record BeirDataset(String name, List<Page> pages, Map<String, String> queries,
                          Map<String, Map<String, Integer>> qrels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads a dataset directory with the given qrels split (e.g. {@code test}). */
    public static BeirDataset load(Path dir, String split) throws IOException {
        Path corpus = Files.exists(dir.resolve("corpus.jsonl.gz")) ? dir.resolve("corpus.jsonl.gz") : dir.resolve("corpus.jsonl");
        Path queriesFile = dir.resolve("queries.jsonl");
        Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
        for (Path p : List.of(corpus, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("not a BEIR dataset: " + p + " is missing");
            }
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        List<Page> pages = new ArrayList<>();
        try (BufferedReader r = reader(corpus)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode doc = JSON.readTree(line);
                String id = doc.path("_id").asText();
                pages.add(new Page(id, "", doc.path("title").asText(""), name,
                        List.of(new Page.Section(List.of(), doc.path("text").asText("")))));
            }
        }
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(qrelsFile, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) { // line 0 is the header
            String[] f = lines.get(i).split("\t");
            if (f.length >= 3) {
                qrels.computeIfAbsent(f[0], q -> new HashMap<>()).put(f[1], Integer.parseInt(f[2].strip()));
            }
        }
        Map<String, String> queries = new LinkedHashMap<>();
        try (BufferedReader r = reader(queriesFile)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode q = JSON.readTree(line);
                String id = q.path("_id").asText();
                if (qrels.containsKey(id)) {
                    queries.put(id, q.path("text").asText());
                }
            }
        }
        return new BeirDataset(name, pages, queries, qrels);
    }

    private static BufferedReader reader(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (p.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
