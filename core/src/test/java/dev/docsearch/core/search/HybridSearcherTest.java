package dev.docsearch.core.search;

import dev.docsearch.core.cache.EmbeddingCache;
import dev.docsearch.core.chunk.Chunker;
import dev.docsearch.core.chunk.ChunkingParameters;
import dev.docsearch.core.chunk.TokenCounter;
import dev.docsearch.core.embed.Embedder;
import dev.docsearch.core.embed.EmbedderOptions;
import dev.docsearch.core.embed.ModelInfo;
import dev.docsearch.core.embed.ModelStore;
import dev.docsearch.core.keyword.SnippetHighlighter;
import dev.docsearch.core.model.Page;
import dev.docsearch.core.release.Release;
import dev.docsearch.core.release.ReleaseBuilder;
import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.core.release.ReusedChunks;
import dev.docsearch.core.vector.VectorIndexOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole query path on real components: MiniLM over ONNX, FAISS, Lucene, a release on disk. */
class HybridSearcherTest {

    @TempDir
    static Path root;

    static Embedder embedder;
    static SnippetHighlighter highlighter;
    static Release release;
    static HybridSearcher searcher;
    static ReleaseBuilder.Result built;

    static Page page(String id, String title, String... sectionsAndTexts) {
        List<Page.Section> sections = new ArrayList<>();
        for (int i = 0; i < sectionsAndTexts.length; i += 2) {
            sections.add(new Page.Section(sectionsAndTexts[i].isEmpty() ? List.of() : List.of(sectionsAndTexts[i]),
                    sectionsAndTexts[i + 1]));
        }
        String guide = id.substring(0, id.indexOf('/'));
        return new Page(id, "https://docs.example.com/" + id + ".html", title, guide, sections);
    }

    static final List<Page> PAGES = List.of(
            page("s3-guide/Versioning", "Using versioning in S3 buckets",
                    "", "Versioning in Amazon S3 is a means of keeping multiple variants of an object in the same bucket. "
                            + "You can use versioning to preserve, retrieve, and restore every version of every object.",
                    "Enabling versioning", "To enable versioning on a bucket, open the Amazon S3 console, choose the bucket, "
                            + "choose Properties, and under Bucket Versioning choose Edit, then Enable."),
            page("s3-guide/Encryption", "Protecting data with server-side encryption",
                    "", "Amazon S3 encrypts objects with SSE-S3 by default. You can choose SSE-KMS keys instead, "
                            + "set with the x-amz-server-side-encryption header."),
            page("ec2-guide/InstanceTypes", "Amazon EC2 instance types",
                    "", "When you launch an instance, the instance type determines the hardware. A t3.medium has "
                            + "2 vCPUs and 4 GiB of memory and is a burstable performance instance."),
            page("iam-guide/Policies", "Policies and permissions in IAM",
                    "", "An identity-based policy can allow the s3:PutObject action on a bucket so that a role "
                            + "can upload objects. Use the principle of least privilege."),
            page("dynamodb-guide/Throughput", "Handling throttling in DynamoDB",
                    "", "If your requests exceed the provisioned capacity of a table, DynamoDB returns a "
                            + "ProvisionedThroughputExceededException. The AWS SDKs retry these automatically with "
                            + "exponential backoff."),
            page("lambda-guide/Timeout", "Configuring Lambda function timeout",
                    "", "The timeout is the maximum amount of time in seconds that a Lambda function can run. "
                            + "The default is 3 seconds and the maximum is 900 seconds (15 minutes)."),
            page("vpc-guide/SecurityGroups", "Control traffic with security groups",
                    "", "A security group acts as a virtual firewall for your EC2 instances to control incoming "
                            + "and outgoing traffic. Inbound rules control the incoming traffic to your instance."));

    @BeforeAll
    static void buildRelease() throws Exception {
        ModelInfo model = new ModelStore(root).installDefault();
        embedder = Embedder.open(model, EmbedderOptions.defaults());
        highlighter = new SnippetHighlighter();
        ReleaseStore store = new ReleaseStore(root);
        ReleaseBuilder builder = new ReleaseBuilder(store, embedder,
                new Chunker(new ChunkingParameters(40, 8, 0), embedder::countTokens), VectorIndexOptions.DEFAULT,
                EmbeddingCache.open(root, model), 2, null);
        built = builder.build(PAGES, null);
        store.publish(built.manifest().id());
        release = Release.open(store, built.manifest().id(), VectorIndexOptions.DEFAULT);
        searcher = new HybridSearcher(release, embedder::embedQuery, highlighter::snippet);
    }

    @AfterAll
    static void close() throws Exception {
        release.close();
        highlighter.close();
        embedder.close();
    }

    private static List<String> pageIds(SearchResponse r) {
        return r.hits().stream().map(SearchHit::pageId).toList();
    }

    @Test
    void keywordModeFindsExactIdentifiersAndHasNoSemanticRanks() {
        SearchResponse r = searcher.search(SearchRequest.of("ProvisionedThroughputExceededException", 5).withMode(SearchMode.KEYWORD));
        assertThat(pageIds(r)).first().isEqualTo("dynamodb-guide/Throughput");
        assertThat(r.hits().get(0).keywordRank()).isEqualTo(1);
        assertThat(r.hits()).allSatisfy(h -> assertThat(h.semanticRank()).isNull());
        assertThat(r.embedMicros()).isZero();
        assertThat(r.releaseId()).isEqualTo(release.id());
    }

    @Test
    void anEngineOpensAReleaseWithItsOwnModelOrForKeywordsOnly() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        String id = built.manifest().id();
        try (SearchEngine engine = SearchEngine.open(store, id, SearchEngine.Settings.DEFAULT)) {
            assertThat(engine.release().id()).isEqualTo(id);
            assertThat(pageIds(engine.search(SearchRequest.of("how long can a lambda function run before timeout", 3))))
                    .first().isEqualTo("lambda-guide/Timeout");
        }
        try (SearchEngine keywords = SearchEngine.open(store, id, SearchEngine.Settings.DEFAULT.withoutQueryEmbedding())) {
            assertThat(pageIds(keywords.search(SearchRequest.of("ProvisionedThroughputExceededException", 3)
                    .withMode(SearchMode.KEYWORD)))).first().isEqualTo("dynamodb-guide/Throughput");
            assertThatThrownBy(() -> keywords.search(SearchRequest.of("lambda timeout", 3).withMode(SearchMode.SEMANTIC)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("opened without a model");
        }
        assertThatThrownBy(() -> SearchEngine.open(store, "20000101T000000000Z-000000", SearchEngine.Settings.DEFAULT))
                .isInstanceOf(ReleaseRejectedException.class);
        assertThatThrownBy(() -> new SearchEngine.Settings(0, 1, true)).hasMessageContaining("candidates must be >= 1");
    }

    @Test
    void semanticModeFindsMeaningWithoutSharedWords() {
        SearchResponse r = searcher.search(SearchRequest.of("keep older copies of my files so I can undo changes", 3)
                .withMode(SearchMode.SEMANTIC));
        assertThat(pageIds(r)).first().isEqualTo("s3-guide/Versioning");
        assertThat(r.hits()).allSatisfy(h -> assertThat(h.keywordRank()).isNull());
        assertThat(r.hits().get(0).score()).isBetween(0.2, 1.0); // a cosine
    }

    @Test
    void hybridFusesBothRankingsWithReciprocalRanks() {
        SearchResponse r = searcher.search(SearchRequest.of("how long can a lambda function run before timeout", 3));
        SearchHit top = r.hits().get(0);
        assertThat(top.pageId()).isEqualTo("lambda-guide/Timeout");
        assertThat(top.keywordRank()).isEqualTo(1);
        assertThat(top.semanticRank()).isEqualTo(1);
        // A question: the semantic rank counts the question weight times.
        assertThat(QueryShape.of("how long can a lambda function run before timeout")).isEqualTo(QueryShape.QUESTION);
        assertThat(top.score()).isCloseTo((1 + Fusion.RRF.questionSemanticWeight()) / 61,
                org.assertj.core.data.Offset.offset(1e-9));

        SearchRequest termsQuery = SearchRequest.of("lambda function timeout", 3);
        SearchHit terms = searcher.search(termsQuery.withFusion(Fusion.RRF)).hits().get(0);
        assertThat(terms.pageId()).isEqualTo("lambda-guide/Timeout");
        assertThat(terms.keywordRank()).isEqualTo(1);
        assertThat(terms.semanticRank()).isEqualTo(1);
        assertThat(terms.score()).isCloseTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-9));
        // Plain terms: the default blends the scores, each scaled to its list, so the top of both lists scores 1.
        assertThat(termsQuery.fusion()).isEqualTo(Fusion.AUTO);
        SearchHit blended = searcher.search(termsQuery).hits().get(0);
        assertThat(blended.pageId()).isEqualTo("lambda-guide/Timeout");
        assertThat(blended.score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aPageAppearsOnceWithItsBestChunkAndASnippet() {
        // The versioning page has two chunks that both match.
        SearchResponse r = searcher.search(SearchRequest.of("enable versioning bucket", 10));
        assertThat(pageIds(r)).doesNotHaveDuplicates();
        SearchHit top = r.hits().get(0);
        assertThat(top.pageId()).isEqualTo("s3-guide/Versioning");
        assertThat(top.snippet()).contains("<mark>");
        assertThat(top.url()).isEqualTo("https://docs.example.com/s3-guide/Versioning.html");
        assertThat(top.title()).isEqualTo("Using versioning in S3 buckets");
    }

    @Test
    void guideFilterAndFacetCounts() {
        SearchResponse all = searcher.search(SearchRequest.of("bucket objects", 10));
        assertThat(all.guideCounts()).containsKey("s3-guide");
        assertThat(all.guideCounts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(all.total());

        SearchResponse s3 = searcher.search(SearchRequest.of("bucket objects", 10).withGuide("s3-guide"));
        assertThat(s3.hits()).isNotEmpty().allSatisfy(h -> assertThat(h.guide()).isEqualTo("s3-guide"));
        assertThat(s3.total()).isEqualTo(all.guideCounts().get("s3-guide"));
        assertThat(s3.guideCounts()).isEqualTo(all.guideCounts());
    }

    @Test
    void linearBlendAtTheExtremesFollowsOneRetriever() {
        String q = "security group inbound traffic rules for instances";
        SearchResponse semantic = searcher.search(SearchRequest.of(q, 7).withMode(SearchMode.SEMANTIC));
        SearchResponse alpha1 = searcher.search(SearchRequest.of(q, 7).withFusion(new Fusion.Linear(1.0)));
        assertThat(pageIds(alpha1).subList(0, 3)).isEqualTo(pageIds(semantic).subList(0, 3));
        SearchResponse keyword = searcher.search(SearchRequest.of(q, 7).withMode(SearchMode.KEYWORD));
        SearchResponse alpha0 = searcher.search(SearchRequest.of(q, 7).withFusion(new Fusion.Linear(0.0)));
        assertThat(pageIds(alpha0).subList(0, pageIds(keyword).size())).isEqualTo(pageIds(keyword));
        assertThat(alpha0.hits().get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void hostileQueriesSearchOrReturnNothingButNeverThrow() {
        for (String q : List.of("", "   ", "title:foo AND (", "*", "\"unbalanced", "/regex.*/", "\u0000\u0007",
                "<script>alert(1)</script>", "' OR 1=1; --", "a".repeat(5000))) {
            for (SearchMode mode : SearchMode.values()) {
                SearchResponse r = searcher.search(SearchRequest.of(q, 10).withMode(mode));
                assertThat(r.hits()).allSatisfy(h -> assertThat(h.snippet()).doesNotContain("<script>"));
            }
        }
    }

    @Test
    void concurrentQueriesGiveTheSameAnswersAsSequentialOnes() throws Exception {
        List<String> queries = List.of("versioning", "t3.medium memory", "s3:PutObject permission", "lambda timeout",
                "throttling retries", "encrypt objects with KMS", "firewall for instances", "burstable instance");
        List<List<String>> expected = new ArrayList<>();
        for (String q : queries) {
            expected.add(pageIds(searcher.search(SearchRequest.of(q, 5))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 10; rep++) {
                        for (int i = 0; i < queries.size(); i++) {
                            if (!pageIds(searcher.search(SearchRequest.of(queries.get(i), 5))).equals(expected.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rebuildReusesCachedEmbeddings() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        ModelInfo model = embedder.model();
        ReleaseBuilder builder = new ReleaseBuilder(store, embedder,
                new Chunker(new ChunkingParameters(40, 8, 0), embedder::countTokens), VectorIndexOptions.DEFAULT,
                EmbeddingCache.open(root, model), 2, null);
        List<Page> changed = new ArrayList<>(PAGES);
        // A text no other test embeds: the cache under the shared root must not have it, whatever ran before.
        changed.set(5, page("lambda-guide/Timeout", "Configuring Lambda function timeout",
                "", "The timeout of a Lambda function can now be set to fifteen minutes at most."));
        ReleaseBuilder.Result again = builder.build(changed, built.manifest().id());
        assertThat(again.chunksEmbedded()).isEqualTo(1);
        assertThat(again.chunksReused()).isEqualTo(built.manifest().chunks() - 1);
        assertThat(again.manifest().parent()).isEqualTo(built.manifest().id());
        assertThat(again.manifest().corpusDigest()).isNotEqualTo(built.manifest().corpusDigest());
    }

    @Test
    void rebuildCutsOnlyPagesThatAreNotReused() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        ModelInfo model = embedder.model();
        Map<String, Integer> counted = new ConcurrentHashMap<>();
        TokenCounter counting = text -> {
            counted.merge(text, 1, Integer::sum);
            return embedder.countTokens(text);
        };
        ReleaseBuilder builder = new ReleaseBuilder(store, embedder,
                new Chunker(new ChunkingParameters(40, 8, 0), counting), VectorIndexOptions.DEFAULT,
                EmbeddingCache.open(root, model), 2, null);
        List<Page> changed = new ArrayList<>(PAGES);
        changed.set(5, page("lambda-guide/Timeout", "Configuring Lambda function timeout",
                "", "The timeout of a Lambda function can now be set up to 900 seconds."));
        Set<String> unchanged = new HashSet<>();
        for (Page p : PAGES) {
            unchanged.add(p.id());
        }
        unchanged.remove("lambda-guide/Timeout");
        unchanged.remove("s3-guide/Encryption"); // not reused either: cut again, and must come out the same

        ReusedChunks reused = ReusedChunks.read(store, built.manifest().id(), unchanged);
        assertThat(reused.pages()).isEqualTo(unchanged.size());
        ReleaseBuilder.Result withReuse = builder.build(changed, built.manifest().id(), reused);
        // Only the two pages not reused went through the tokenizer.
        assertThat(counted.keySet()).anyMatch(t -> t.contains("up to 900 seconds"))
                .anyMatch(t -> t.contains("SSE-S3 by default"))
                .noneMatch(t -> t.contains("virtual firewall") || t.contains("t3.medium"));

        counted.clear();
        ReleaseBuilder.Result fresh = builder.build(changed, built.manifest().id());
        assertThat(counted.keySet()).anyMatch(t -> t.contains("virtual firewall"));
        // Reuse changes nothing in what is served: same chunks, ids and texts, in the same order.
        assertThat(withReuse.manifest().corpusDigest()).isEqualTo(fresh.manifest().corpusDigest());
        assertThat(withReuse.manifest().chunks()).isEqualTo(fresh.manifest().chunks());
    }

    @Test
    void damagedChunksOfTheParentAreRefusedForReuse() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        ReleaseBuilder builder = new ReleaseBuilder(store, embedder,
                new Chunker(new ChunkingParameters(40, 8, 0), embedder::countTokens), VectorIndexOptions.DEFAULT,
                null, 1, null);
        String id = builder.build(PAGES, null).manifest().id();
        Path data = store.releaseDir(id).resolve("chunks.dat");
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(data, bytes);
        assertThatThrownBy(() -> ReusedChunks.read(store, id, Set.of("s3-guide/Versioning")))
                .isInstanceOf(ReleaseRejectedException.class).hasMessageContaining("chunks.dat");
    }
}
