package dev.docsearch.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A dataset in BEIR's format: {@code corpus.jsonl[.gz]}, {@code queries.jsonl}, {@code qrels/<split>.tsv}.
 * A directory with queries and qrels but no corpus is a docs dev set instead ({@link JudgedQueries}), judged
 * over the pages of a docs release; both read their files here.
 *
 * @param name    dataset name (the directory name)
 * @param pages   the corpus, one page per document (one section, title kept apart)
 * @param queries query id to text, only queries judged in the split
 * @param qrels   query id to (document id to graded relevance)
 */
public record BeirDataset(String name, List<Page> pages, Map<String, String> queries,
                          Map<String, Map<String, Integer>> qrels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether a dataset directory holds its corpus ({@code corpus.jsonl.gz} or {@code corpus.jsonl}). */
    public static boolean hasCorpus(Path dir) {
        return Files.isRegularFile(corpusFile(dir));
    }

    /** Loads a dataset directory with the given qrels split (e.g. {@code test}). */
    public static BeirDataset load(Path dir, String split) throws IOException {
        Path corpus = corpusFile(dir);
        Path queriesFile = queriesFile(dir);
        Path qrelsFile = qrelsFile(dir, split);
        for (Path p : List.of(corpus, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("not a BEIR dataset: " + p + " is missing");
            }
        }
        String name = nameOf(dir);
        List<Page> pages = new ArrayList<>();
        readJsonLines(corpus, (doc, line) -> {
            String id = doc.path("_id").asText();
            pages.add(new Page(id, "", doc.path("title").asText(""), name,
                    List.of(new Page.Section(List.of(), doc.path("text").asText("")))));
        });
        Map<String, Map<String, Integer>> qrels = readQrels(qrelsFile);
        Map<String, String> queries = new LinkedHashMap<>();
        readJsonLines(queriesFile, (q, line) -> {
            String id = q.path("_id").asText();
            if (qrels.containsKey(id)) {
                queries.put(id, q.path("text").asText());
            }
        });
        return new BeirDataset(name, pages, queries, qrels);
    }

    /**
     * A smaller dataset with the same queries and judgements: every document judged for some query, plus unjudged
     * documents, chosen by a hash of their id (stable across runs and spread over the corpus), up to
     * {@code documents} in all. Scores on it are higher than on the whole corpus (fewer distractors) and are
     * comparable only between modes and commits, never with published figures.
     *
     * @throws IllegalArgumentException if {@code documents} is smaller than the number of judged documents
     */
    public BeirDataset withCorpusSample(int documents) {
        Set<String> judged = new HashSet<>();
        qrels.values().forEach(grades -> judged.addAll(grades.keySet()));
        long judgedInCorpus = pages.stream().filter(p -> judged.contains(p.id())).count();
        if (documents < judgedInCorpus) {
            throw new IllegalArgumentException("a corpus sample of " + documents + " documents cannot hold the "
                    + judgedInCorpus + " judged ones of " + name);
        }
        Set<String> kept = new HashSet<>(judged);
        pages.stream().map(Page::id).filter(id -> !judged.contains(id))
                .sorted(Comparator.comparingInt((String id) -> mix(id.hashCode())).thenComparing(id -> id))
                .limit(documents - judgedInCorpus)
                .forEach(kept::add);
        List<Page> sample = pages.stream().filter(p -> kept.contains(p.id())).toList();
        return new BeirDataset(name, sample, queries, qrels);
    }

    /** Murmur3's finaliser: spreads ids that differ in one digit across the whole int range. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** A dataset's name: its directory's name. */
    static String nameOf(Path dir) {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    static Path corpusFile(Path dir) {
        Path gz = dir.resolve("corpus.jsonl.gz");
        return Files.exists(gz) ? gz : dir.resolve("corpus.jsonl");
    }

    static Path queriesFile(Path dir) {
        return dir.resolve("queries.jsonl");
    }

    static Path qrelsFile(Path dir, String split) {
        return dir.resolve("qrels").resolve(split + ".tsv");
    }

    /**
     * Reads a qrels file: a header line, then rows {@code query-id <TAB> corpus-id <TAB> score} (blank lines are
     * skipped; a later row for the same pair wins).
     *
     * @return query id to (document id to grade), both in file order
     * @throws IOException if the file cannot be read, or a row has fewer than three fields or a score that is not
     *                     an integer (the file and line are named)
     */
    static Map<String, Map<String, Integer>> readQrels(Path file) throws IOException {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) { // line 0 is the header
            String row = lines.get(i);
            if (row.isBlank()) {
                continue;
            }
            String[] f = row.split("\t");
            if (f.length < 3) {
                throw new IOException(file + " line " + (i + 1) + ": expected query-id, corpus-id and score "
                        + "separated by tabs, got '" + row.strip() + "'");
            }
            int grade;
            try {
                grade = Integer.parseInt(f[2].strip());
            } catch (NumberFormatException e) {
                throw new IOException(file + " line " + (i + 1) + ": score '" + f[2].strip() + "' is not an integer", e);
            }
            qrels.computeIfAbsent(f[0].strip(), q -> new LinkedHashMap<>()).put(f[1].strip(), grade);
        }
        return qrels;
    }

    /** What {@link #readJsonLines} hands each object to, with its 1-based line number. */
    @FunctionalInterface
    interface JsonLine {
        void accept(JsonNode node, int line) throws IOException;
    }

    /**
     * Reads a JSON Lines file (gzip-compressed when its name ends in {@code .gz}), one object per non-blank line.
     *
     * @throws IOException if the file cannot be read, a line is not JSON (the file and line are named), or the
     *                     handler throws
     */
    static void readJsonLines(Path file, JsonLine handler) throws IOException {
        try (BufferedReader r = reader(file)) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IOException(file + " line " + n + ": not JSON: " + e.getOriginalMessage(), e);
                }
                handler.accept(node, n);
            }
        }
    }

    private static BufferedReader reader(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (p.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
