package dev.docsearch.core.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.docsearch.core.model.Chunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeywordIndexTest {

    /** Ordinals with gaps, so a hit that reported Lucene's doc id instead would be caught. */
    static int ordinalOf(int i) {
        return 10 * i + 3;
    }

    static final List<Chunk> CHUNKS = List.of(
            chunk("IAM policies", List.of("Permissions"), "Allow s3:PutObject on the bucket so the role can upload files."),
            chunk("Error retries", List.of("Throttling"), "DynamoDB returns ProvisionedThroughputExceededException when requests exceed capacity."),
            chunk("Instance types", List.of("Burstable"), "A t3.medium instance has 2 vCPUs and 4 GiB of memory."),
            chunk("Checking permissions", List.of("CLI"), "Run aws ec2 start-instances --dry-run --instance-ids i-1234567890abcdef0 first."),
            chunk("Role ARNs", List.of(), "The role arn:aws:iam::123456789012:role/x is assumed by the service."),
            chunk("CloudFormation templates", List.of("Resources"), "Declare an AWS::S3::Bucket resource in the template."),
            chunk("Request headers", List.of("Encryption"), "Send the x-amz-server-side-encryption header with each request."),
            // distractors: the words of the identifiers, but not the identifiers
            chunk("Uploading", List.of(), "You can put an object into a bucket with the console."),
            chunk("Capacity modes", List.of(), "Provisioned capacity sets the read throughput of a table."),
            chunk("Sizing", List.of(), "Choose a medium size for a test run of the server side."),
            // title boost pair: the same words, swapped between title and body
            chunk("Versioning", List.of(), "Archiving keeps every variant of an object."),
            chunk("Archiving", List.of(), "Versioning keeps every variant of an object."));

    static Path dir;
    static KeywordIndex index;

    static Chunk chunk(String title, List<String> section, String text) {
        String id = "p" + title.hashCode() + "#0";
        return new Chunk(id, "p" + title.hashCode(), "https://docs.example/" + id, title, "guide", section, text);
    }

    @BeforeAll
    static void build(@TempDir Path tmp) throws IOException {
        dir = tmp.resolve("keyword");
        try (KeywordIndexWriter writer = new KeywordIndexWriter(dir)) {
            for (int i = 0; i < CHUNKS.size(); i++) {
                writer.add(ordinalOf(i), CHUNKS.get(i));
            }
        }
        index = KeywordIndex.open(dir);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    /** The position in CHUNKS of each hit. */
    static List<Integer> found(String query) {
        List<Integer> positions = new ArrayList<>();
        for (KeywordHit hit : index.search(query, 20)) {
            assertThat((hit.ordinal() - 3) % 10).as("ordinal %s", hit.ordinal()).isZero();
            positions.add((hit.ordinal() - 3) / 10);
        }
        return positions;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "s3:PutObject | 0",
        "ProvisionedThroughputExceededException | 1",
        "t3.medium | 2",
        "--dry-run | 3",
        "--instance-ids | 3",
        "arn:aws:iam::123456789012:role/x | 4",
        "AWS::S3::Bucket | 5",
        "x-amz-server-side-encryption | 6",
    })
    void identifierFoundWholeRanksFirst(String query, int expected) {
        assertThat(found(query)).first().isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PutObject | 0 | true",
        "put object | 0 | false",
        "provisioned throughput | 1 | false",
        "throughput exceeded | 1 | true",
        "t3 | 2 | true",
        "medium | 2 | false",
        "dry-run | 3 | true",
        "instance ids | 3 | true",
        "123456789012 | 4 | true",
        "iam role | 4 | true",
        "S3 bucket | 5 | false",
        "server side encryption | 6 | true",
        "amz | 6 | true",
    })
    void identifierFoundByItsParts(String query, int expected, boolean first) {
        List<Integer> found = found(query);
        if (first) {
            assertThat(found).first().isEqualTo(expected);
        } else {
            assertThat(found).contains(expected);
        }
    }

    @Test
    void titleMatchOutranksTheSameMatchInTheBody() {
        assertThat(found("versioning")).containsExactly(10, 11);
        assertThat(found("archiving")).containsExactly(11, 10);
        List<KeywordHit> hits = index.search("versioning", 2);
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }

    @Test
    void sectionHeadingsAreSearched() {
        assertThat(found("burstable")).containsExactly(2);
    }

    @Test
    void everyChunkMapsBackToItsOrdinal() {
        assertThat(index.size()).isEqualTo(CHUNKS.size());
        for (int i = 0; i < 10; i++) { // all but the title-boost pair, which share their words
            // each chunk's full text finds that chunk first
            assertThat(index.search(CHUNKS.get(i).title() + " " + CHUNKS.get(i).text(), 1))
                    .extracting(KeywordHit::ordinal).containsExactly(ordinalOf(i));
        }
    }

    @Test
    void releaseIndexIsOneSegment() throws IOException {
        try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            assertThat(reader.leaves()).hasSize(1);
            assertThat(reader.numDocs()).isEqualTo(CHUNKS.size());
        }
    }

    @Test
    void querySyntaxIsJustWords() {
        assertThat(found("title:s3:PutObject AND (")).first().isEqualTo(0);
        assertThat(found("\"t3.medium")).first().isEqualTo(2);
    }

    @Test
    void queriesWithNothingSearchableFindNothing() {
        for (String q : List.of("", "   ", "the of and", "*", "?", "&& || !", "\u0000\u0001", "\uD800")) {
            assertThat(index.search(q, 10)).as("query %s", q).isEmpty();
        }
    }

    @Test
    void hostileQueriesNeverThrow() {
        for (String q : HostileStrings.QUERIES) {
            assertThat(index.search(q, 10)).hasSizeLessThanOrEqualTo(10);
        }
        // a query of hundreds of distinct terms stays under Lucene's clause limit
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            many.append("w").append(i).append(' ');
        }
        assertThat(index.search(many + " PutObject", 5)).isNotNull();
    }

    @Test
    void tenThousandRandomUnicodeQueriesNeverThrow() {
        Random random = new Random(42);
        int withHits = 0;
        for (int i = 0; i < 10_000; i++) {
            List<KeywordHit> hits = index.search(HostileStrings.random(random, 64), 5);
            assertThat(hits).hasSizeLessThanOrEqualTo(5);
            for (KeywordHit hit : hits) {
                assertThat((hit.ordinal() - 3) % 10).isZero();
            }
            withHits += hits.isEmpty() ? 0 : 1;
        }
        assertThat(withHits).as("random strings that contain words from the corpus find them").isPositive();
    }

    @Test
    void concurrentSearchesGiveTheSequentialResults() throws Exception {
        List<String> queries = new ArrayList<>();
        for (Chunk c : CHUNKS) {
            queries.addAll(List.of(c.text().split(" ")));
            queries.add(c.title());
        }
        List<List<KeywordHit>> expected = new ArrayList<>();
        for (String q : queries) {
            expected.add(index.search(q, 5));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                Callable<Integer> task = () -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < 20; round++) {
                        for (int k = 0; k < queries.size(); k++) {
                            int i = (k + offset * 7) % queries.size();
                            assertThat(index.search(queries.get(i), 5)).isEqualTo(expected.get(i));
                            checked++;
                        }
                    }
                    return checked;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(20 * queries.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsGetClearErrors() {
        assertThatThrownBy(() -> index.search("s3", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be >= 1, was 0");
        assertThat(index.search("bucket", Integer.MAX_VALUE)).hasSizeLessThanOrEqualTo(CHUNKS.size());
    }

    @Test
    void writerRefusesOrdinalsOutOfOrder(@TempDir Path tmp) throws IOException {
        try (KeywordIndexWriter writer = new KeywordIndexWriter(tmp.resolve("k"))) {
            writer.add(0, CHUNKS.get(0));
            assertThatThrownBy(() -> writer.add(0, CHUNKS.get(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previous ordinal 0");
        }
        try (KeywordIndexWriter writer = new KeywordIndexWriter(tmp.resolve("k2"))) {
            assertThatThrownBy(() -> writer.add(-1, CHUNKS.get(0))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void writerRefusesANonEmptyDirectory(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("CURRENT"), "x");
        assertThatThrownBy(() -> new KeywordIndexWriter(tmp))
                .isInstanceOf(IOException.class).hasMessageContaining("not empty");
    }

    @Test
    void writerIsDoneAfterClose(@TempDir Path tmp) throws IOException {
        KeywordIndexWriter writer = new KeywordIndexWriter(tmp.resolve("k"));
        writer.close();
        assertThatThrownBy(() -> writer.add(0, CHUNKS.get(0))).isInstanceOf(IllegalStateException.class);
        try (KeywordIndex empty = KeywordIndex.open(tmp.resolve("k"))) {
            assertThat(empty.size()).isZero();
            assertThat(empty.search("bucket", 10)).isEmpty();
        }
    }

    @Test
    void openingWhatIsNotAnIndexFails(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> KeywordIndex.open(tmp.resolve("missing")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> KeywordIndex.open(tmp)).isInstanceOf(IOException.class);
    }

    @Test
    void hostileChunkTextsIndexAndSearch(@TempDir Path tmp) throws IOException {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>(HostileStrings.QUERIES);
        for (int i = 0; i < 500; i++) {
            texts.add(HostileStrings.random(random, 2000));
        }
        texts.add("A".repeat(1_000_000) + " PutObject");
        try (KeywordIndexWriter writer = new KeywordIndexWriter(tmp.resolve("k"))) {
            for (int i = 0; i < texts.size(); i++) {
                writer.add(i, new Chunk("c" + i, "p", "u", texts.get(i), "g", List.of(texts.get(i)), texts.get(i)));
            }
        }
        try (KeywordIndex hostile = KeywordIndex.open(tmp.resolve("k"))) {
            assertThat(hostile.size()).isEqualTo(texts.size());
            assertThat(hostile.search("PutObject", 3)).extracting(KeywordHit::ordinal).contains(texts.size() - 1);
        }
    }
}
