package dev.docsearch.core.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A docs dev set: graded judgements of typed queries over pages that are not part of the set, such as
 * {@code eval/awsdocs-dev}. Its directory has BEIR's layout without a corpus: {@code queries.jsonl} (one object
 * per line: {@code _id}, {@code text}, and {@code metadata.type}, optionally {@code metadata.in_sample}) and
 * {@code qrels/<split>.tsv} (a header line, then {@code query-id <TAB> page-id <TAB> grade}). Its documents are
 * the pages of a docs release the pipeline built, by page id ({@code amazon-s3-userguide/Versioning}); grade
 * {@link #ANSWER} (2) marks a page that answers the query, 1 a page of some use, and an unlisted page is 0.
 *
 * @param name    the set's name (its directory's name)
 * @param queries the judged queries, in the order of {@code queries.jsonl}
 */
public record JudgedQueries(String name, List<Query> queries) {

    /** The grade of a page that answers its query directly (1: partly relevant or useful context). */
    public static final int ANSWER = 2;

    /** The type of a query whose metadata names none. */
    public static final String UNTYPED = "untyped";

    /**
     * One judged query.
     *
     * @param id       its {@code _id}
     * @param text     what a user types
     * @param type     its {@code metadata.type} (e.g. question, keyword, identifier, topic), else
     *                 {@link JudgedQueries#UNTYPED}
     * @param inSample its {@code metadata.in_sample} (false when absent): whether a page graded
     *                 {@link JudgedQueries#ANSWER} is in the bundled sample corpus, as the set's annotator recorded it
     * @param grades   page id to grade, as the qrels list them (never empty once loaded); unmodifiable
     */
    public record Query(String id, String text, String type, boolean inSample, Map<String, Integer> grades) {
        public Query {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(type, "type");
            grades = Collections.unmodifiableMap(new LinkedHashMap<>(grades));
        }

        /** Whether some page is graded {@link JudgedQueries#ANSWER} or more. */
        public boolean hasAnswer() {
            return grades.values().stream().anyMatch(g -> g >= ANSWER);
        }
    }

    public JudgedQueries {
        Objects.requireNonNull(name, "name");
        queries = List.copyOf(queries);
    }

    /**
     * Loads a docs dev set. Only queries judged in the split are kept (as {@link BeirDataset} does); qrels rows of
     * queries that {@code queries.jsonl} lacks are ignored. A corpus file, if there is one, is not read.
     *
     * @param dir   the set's directory
     * @param split the qrels split, e.g. {@code test}
     * @throws IOException if {@code queries.jsonl} or the qrels file is missing or unreadable, a line of either is
     *                     malformed, or a judged query has no text or appears twice (file and line named)
     */
    public static JudgedQueries load(Path dir, String split) throws IOException {
        Path queriesFile = BeirDataset.queriesFile(dir);
        Path qrelsFile = BeirDataset.qrelsFile(dir, split);
        for (Path p : List.of(queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("not a docs dev set (nor, without corpus.jsonl[.gz], a BEIR dataset): " + p
                        + " is missing");
            }
        }
        Map<String, Map<String, Integer>> qrels = BeirDataset.readQrels(qrelsFile);
        List<Query> queries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        BeirDataset.readJsonLines(queriesFile, (q, line) -> {
            String id = q.path("_id").asText("");
            Map<String, Integer> grades = qrels.get(id);
            if (grades == null) {
                return; // not judged in this split
            }
            if (!seen.add(id)) {
                throw new IOException(queriesFile + " line " + line + ": query " + id + " appears twice");
            }
            String text = q.path("text").asText("");
            if (text.isBlank()) {
                throw new IOException(queriesFile + " line " + line + ": query " + id + " has no text");
            }
            String type = q.path("metadata").path("type").asText("").strip();
            boolean inSample = q.path("metadata").path("in_sample").asBoolean(false);
            queries.add(new Query(id, text, type.isEmpty() ? UNTYPED : type, inSample, grades));
        });
        return new JudgedQueries(BeirDataset.nameOf(dir), queries);
    }

    /** The query types, in the order they first appear. */
    public List<String> types() {
        return queries.stream().map(Query::type).distinct().toList();
    }

    /**
     * These judgements restricted to the pages a release holds: grades of other pages are dropped, then every
     * query left without a page graded {@link #ANSWER} is dropped too (it has nothing to find in that release).
     * The number of queries dropped is {@code queries().size() - within(pages).queries().size()}.
     *
     * @param pageIds the ids of the release's pages
     */
    public JudgedQueries within(Set<String> pageIds) {
        List<Query> kept = new ArrayList<>();
        for (Query q : queries) {
            Map<String, Integer> grades = new LinkedHashMap<>();
            q.grades().forEach((page, grade) -> {
                if (pageIds.contains(page)) {
                    grades.put(page, grade);
                }
            });
            Query restricted = new Query(q.id(), q.text(), q.type(), q.inSample(), grades);
            if (restricted.hasAnswer()) {
                kept.add(restricted);
            }
        }
        return new JudgedQueries(name, kept);
    }
}
