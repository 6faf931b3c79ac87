package dev.docsearch.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.docsearch.core.embed.BundledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API, health and metrics over real HTTP, against a real release (MiniLM, FAISS, Lucene). */
class SearchApiTest extends ServedDefaultRelease {

    @Test
    void searchAnswersWithTheDocumentedShape() {
        HttpResponse<String> r = http.get("/api/search?q=" + HttpProbe.encode("how long can a lambda function run before timeout"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("").replace(" ", "")).isEqualToIgnoringCase("application/json;charset=utf-8");
        JsonNode body = HttpProbe.json(r);
        assertThat(body.get("query").asText()).isEqualTo("how long can a lambda function run before timeout");
        assertThat(body.get("mode").asText()).isEqualTo("hybrid");
        assertThat(body.get("fusion").asText()).isEqualTo("auto");
        assertThat(body.get("release").asText()).isEqualTo(releaseId);
        assertThat(body.get("took_ms").asDouble()).isPositive();
        assertThat(body.get("total").asInt()).isPositive();
        assertThat(body.get("results")).hasSizeLessThanOrEqualTo(10);
        JsonNode top = body.get("results").get(0);
        assertThat(top.get("id").asText()).isEqualTo("aws-lambda-developer-guide/Timeout");
        assertThat(top.get("title").asText()).isEqualTo("Configuring Lambda function timeout");
        assertThat(top.get("url").asText()).isEqualTo("https://docs.example.com/aws-lambda-developer-guide/Timeout.html");
        assertThat(top.get("section_url").asText()).as("a section without an anchor links to the page")
                .isEqualTo(top.get("url").asText());
        assertThat(top.get("guide").asText()).isEqualTo("aws-lambda-developer-guide");
        assertThat(top.has("section")).isTrue();
        assertThat(top.get("snippet").asText()).contains("<mark>").doesNotContain("<script");
        assertThat(top.get("score").asDouble()).isPositive();
        assertThat(top.get("ranks").get("keyword").asInt()).isEqualTo(1);
        assertThat(top.get("ranks").get("semantic").asInt()).isEqualTo(1);
    }

    @Test
    void aResultLinksToTheSectionItsSnippetComesFrom() {
        JsonNode top = http.search("Bucket Versioning choose Edit then Enable in the console Properties", "")
                .get("results").get(0);
        assertThat(top.get("id").asText()).isEqualTo("amazon-s3-userguide/Versioning");
        assertThat(top.get("section").asText()).isEqualTo("Enabling versioning on buckets");
        assertThat(top.get("url").asText()).isEqualTo("https://docs.example.com/amazon-s3-userguide/Versioning.html");
        assertThat(top.get("section_url").asText())
                .isEqualTo("https://docs.example.com/amazon-s3-userguide/Versioning.html#enabling-versioning-on-buckets");
    }

    @Test
    void keywordAndSemanticModesUseOneRetrieverEach() {
        JsonNode keyword = http.search("ProvisionedThroughputExceededException", "mode=keyword");
        assertThat(keyword.get("mode").asText()).isEqualTo("keyword");
        assertThat(keyword.get("results").get(0).get("id").asText()).isEqualTo("amazon-dynamodb-developer-guide/Throughput");
        keyword.get("results").forEach(h -> assertThat(h.get("ranks").get("semantic").isNull()).isTrue());
        assertThat(keyword.get("embed_ms").asDouble()).isZero();

        JsonNode semantic = http.search("undo an accidental overwrite by restoring an earlier variant of my file",
                "mode=SEMANTIC&k=3");
        assertThat(semantic.get("mode").asText()).isEqualTo("semantic");
        assertThat(semantic.get("results")).hasSize(3);
        assertThat(semantic.get("results").get(0).get("id").asText()).isEqualTo("amazon-s3-userguide/Versioning");
        semantic.get("results").forEach(h -> assertThat(h.get("ranks").get("keyword").isNull()).isTrue());
    }

    @Test
    void guideFilterNarrowsResultsAndFacetCountsAddUp() {
        JsonNode all = http.search("bucket objects", "");
        Map<String, Integer> guides = new java.util.LinkedHashMap<>();
        all.get("guides").fields().forEachRemaining(e -> guides.put(e.getKey(), e.getValue().asInt()));
        assertThat(guides).containsKey("amazon-s3-userguide");
        assertThat(guides.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(all.get("total").asInt());
        List<Integer> counts = new ArrayList<>(guides.values());
        assertThat(counts).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        JsonNode s3 = http.search("bucket objects", "guide=amazon-s3-userguide");
        assertThat(s3.get("guide").asText()).isEqualTo("amazon-s3-userguide");
        assertThat(s3.get("results")).isNotEmpty();
        s3.get("results").forEach(h -> assertThat(h.get("guide").asText()).isEqualTo("amazon-s3-userguide"));
        assertThat(s3.get("total").asInt()).isEqualTo(guides.get("amazon-s3-userguide"));

        JsonNode none = http.search("bucket objects", "guide=no-such-guide");
        assertThat(none.get("results")).isEmpty();
        assertThat(none.get("total").asInt()).isZero();
    }

    @Test
    void kBoundsTheResults() {
        assertThat(http.search("instance", "k=1").get("results")).hasSize(1);
        assertThat(http.search("instance", "k=100").get("results").size()).isBetween(2, 14);
    }

    @Test
    void linearFusionOnRequest() {
        JsonNode linear = http.search("security group inbound rules", "fusion=linear&alpha=0.3");
        assertThat(linear.get("fusion").asText()).isEqualTo("linear");
        assertThat(linear.get("results").get(0).get("id").asText()).isEqualTo("amazon-vpc-user-guide/SecurityGroups");
        assertThat(http.search("security group inbound rules", "alpha=0.3").get("fusion").asText()).isEqualTo("linear");
        for (String fusion : List.of("auto", "rrf", "convex")) {
            JsonNode body = http.search("security group inbound rules", "fusion=" + fusion);
            assertThat(body.get("fusion").asText()).isEqualTo(fusion);
            assertThat(body.get("results").get(0).get("id").asText()).as(fusion)
                    .isEqualTo("amazon-vpc-user-guide/SecurityGroups");
        }
        assertThat(http.search("security group inbound rules", "fusion=convex&alpha=0.9").get("fusion").asText())
                .isEqualTo("convex");
    }

    @Test
    void prototypeContractIsKept() {
        HttpResponse<String> r = http.post("/search", "application/json", "{\"query\": \"lambda timeout\", \"top_k\": 3}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = HttpProbe.json(r);
        assertThat(body.get("results")).hasSize(3);
        assertThat(body.get("fusion").asText()).isEqualTo("auto");
        assertThat(body.get("release").asText()).isEqualTo(releaseId);
        assertThat(body.get("results").get(0).get("id").asText()).isEqualTo("aws-lambda-developer-guide/Timeout");

        JsonNode linear = HttpProbe.json(http.post("/search", "application/json; charset=utf-8",
                "{\"query\": \"lambda timeout\", \"top_k\": 5, \"alpha\": 0.7, \"client\": \"prototype-ui\"}"));
        assertThat(linear.get("fusion").asText()).isEqualTo("linear");
        assertThat(linear.get("results")).hasSize(5);

        // No Content-Type at all is accepted (curl -d sends form type, old clients sometimes none).
        assertThat(http.post("/search", null, "{\"query\": \"key pairs\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void healthNamesTheLiveReleaseAndItsModel() {
        HttpResponse<String> r = http.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode h = HttpProbe.json(r);
        assertThat(h.get("status").asText()).isEqualTo("ok");
        assertThat(h.has("reason")).isFalse();
        assertThat(h.get("release").asText()).isEqualTo(releaseId);
        assertThat(h.get("pages").asInt()).isEqualTo(TestCorpus.PAGES.size());
        assertThat(h.get("chunks").asInt()).isGreaterThanOrEqualTo(TestCorpus.PAGES.size());
        assertThat(h.get("loaded_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(h.get("created").asText()).isNotEmpty();
        assertThat(h.get("model").get("name").asText()).isEqualTo(BundledModel.DEFAULT_NAME);
        assertThat(h.get("model").get("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(h.get("model").get("dimension").asInt()).isEqualTo(384);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "bukcet versoning | bucket versioning | amazon-s3-userguide/Versioning",
            "lamda timout     | lambda timeout    | aws-lambda-developer-guide/Timeout",
    })
    void misspelledQueriesFindTheRightPagesAndSayWhatWasMeant(String typed, String meant, String page) {
        for (String mode : List.of("hybrid", "keyword")) {
            JsonNode body = http.search(typed.strip(), "mode=" + mode);
            assertThat(body.get("query").asText()).isEqualTo(typed.strip());
            assertThat(body.get("did_you_mean").asText()).isEqualTo(meant.strip());
            assertThat(body.get("results").get(0).get("id").asText()).as(mode).isEqualTo(page.strip());
        }
        JsonNode asTyped = http.search(meant.strip(), "");
        assertThat(asTyped.get("did_you_mean").isNull()).isTrue();
    }

    @Test
    void identifiersAreNeverCorrected() {
        for (String q : List.of("s3:PutObjet", "ProvisionedThroughputExceededExceptio", "t3.medum", "--dry-rn",
                "AWS_REGON", "\"bukcet\"")) {
            assertThat(http.search(q, "").get("did_you_mean").isNull()).as(q).isTrue();
        }
    }

    @Test
    void pagesFollowOnFromEachOther() {
        JsonNode four = http.search("instance", "k=4");
        assertThat(four.get("total").asInt()).isGreaterThan(4);
        JsonNode first = http.search("instance", "k=2");
        JsonNode second = http.search("instance", "k=2&page=2");
        assertThat(first.get("page").asInt()).isEqualTo(1);
        assertThat(second.get("page").asInt()).isEqualTo(2);
        assertThat(second.get("total").asInt()).isEqualTo(four.get("total").asInt());
        List<String> both = new ArrayList<>();
        first.get("results").forEach(h -> both.add(h.get("id").asText()));
        second.get("results").forEach(h -> both.add(h.get("id").asText()));
        List<String> expected = new ArrayList<>();
        four.get("results").forEach(h -> expected.add(h.get("id").asText()));
        assertThat(both).isEqualTo(expected);
        assertThat(http.search("instance", "k=100&page=10").get("results")).isEmpty();
    }

    @Test
    void suggestCompletesTitlesAndHeadings() {
        HttpResponse<String> r = http.get("/api/suggest?q=vers");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = HttpProbe.json(r);
        assertThat(body.get("release").asText()).isEqualTo(releaseId);
        List<String> texts = new ArrayList<>();
        body.get("suggestions").forEach(s -> texts.add(s.get("text").asText()));
        assertThat(texts).contains("Using versioning in S3 buckets", "Enabling versioning on buckets").hasSizeLessThanOrEqualTo(8);
        assertThat(body.get("suggestions").get(texts.indexOf("Using versioning in S3 buckets")).get("kind").asText())
                .isEqualTo("title");
        // Every typed word must start a word of the completion, in any order.
        JsonNode twoWords = HttpProbe.json(http.get("/api/suggest?q=" + HttpProbe.encode("lambda tim")));
        assertThat(twoWords.get("suggestions").get(0).get("text").asText()).isEqualTo("Configuring Lambda function timeout");
        assertThat(HttpProbe.json(http.get("/api/suggest?q=lambda&n=1")).get("suggestions")).hasSize(1);
        assertThat(HttpProbe.json(http.get("/api/suggest?q=xyzzyplugh")).get("suggestions")).isEmpty();
        for (String q : List.of("*", "\"", "title:(", "++", "\uD83D\uDE80", "a\u0000b", "AND OR NOT", "lambda ")) {
            assertThat(http.get("/api/suggest?q=" + HttpProbe.encode(q)).statusCode()).as(q).isEqualTo(200);
        }
    }

    @Test
    void zeroResultSearchesAreCountedAndLoggedOnceWithTheQueryCut() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "dev.docsearch.service.zero_results");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        String unfindable = "xyzzyplugh\nforged " + "q".repeat(200);
        try {
            assertThat(http.search(unfindable, "mode=keyword").get("total").asInt()).isZero();
            assertThat(http.search("versioning", "mode=keyword").get("total").asInt()).isPositive();
        } finally {
            log.detachAppender(lines);
        }
        assertThat(http.get("/metrics").body()).containsPattern("docsearch_search_zero_results_total\\{mode=\"keyword\"} [1-9]");
        assertThat(lines.list).hasSize(1);
        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).startsWith("zero results mode=keyword").doesNotContain("\n").contains("q=\"xyzzyplugh forged q");
        assertThat(line.substring(line.indexOf("q=\"") + 3, line.length() - 1)).hasSize(100 + "...".length());
    }

    @Test
    void metricsArePrometheusText() {
        http.search("versioning", "");
        http.search("versioning", "mode=keyword");
        http.get("/api/search?q=");
        HttpResponse<String> r = http.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String text = r.body();
        assertThat(text)
                .contains("docsearch_http_requests_seconds_bucket{endpoint=\"/api/search\",method=\"GET\",status=\"200\"")
                .contains("docsearch_http_requests_seconds_count{endpoint=\"/api/search\",method=\"GET\",status=\"400\"}")
                .contains("docsearch_search_latency_seconds_count{mode=\"hybrid\"}")
                .contains("docsearch_search_latency_seconds_count{mode=\"keyword\"}")
                .contains("docsearch_embed_latency_seconds_count")
                .containsPattern("docsearch_release_info\\{release=\"" + releaseId + "\"} 1(\\.0)?\n")
                .contains("docsearch_release_age_seconds ")
                .contains("docsearch_reload_attempts_total 1.0")
                .contains("docsearch_reload_failures_total 0.0")
                .contains("docsearch_releases_open 1.0")
                .contains("jvm_memory_used_bytes{area=\"heap\"")
                .contains("process_files_open_files")
                .doesNotContain("endpoint=\"*\"");
    }

    @Test
    void responsesCarrySecurityHeadersAndNoServerVersion() {
        for (String path : List.of("/", "/?q=versioning", "/api/search?q=versioning", "/health", "/api/search")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'").contains("script-src 'self'"));
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Server")).as(path).isEmpty();
        }
    }

    @Test
    void numbersAreCheckedByJavalinsValidatorAndRefusedInWords() {
        assertThat(HttpProbe.json(http.get("/api/search?q=a&k=x")).get("error").asText())
                .isEqualTo("k must be a whole number in 1..100; was 'x'");
        assertThat(HttpProbe.json(http.get("/api/search?q=a&k=0")).get("error").asText())
                .isEqualTo("k must be in 1..100; was 0");
        assertThat(HttpProbe.json(http.get("/api/search?q=a&alpha=lots")).get("error").asText())
                .isEqualTo("alpha must be a number in 0..1; was 'lots'");
        assertThat(HttpProbe.json(http.get("/api/suggest?q=a&n=9")).get("error").asText())
                .isEqualTo("n must be in 1..8; was 9");
    }

    @ParameterizedTest(name = "GET {0} -> {1} field={2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "/api/search                              | 400 | q",
            "/api/search?q=                           | 400 | q",
            "/api/search?q=%20%20%09%0A               | 400 | q",
            "/api/search?q=%00%07                     | 400 | q",
            "/api/search?q=a&k=0                      | 400 | k",
            "/api/search?q=a&k=101                    | 400 | k",
            "/api/search?q=a&k=ten                    | 400 | k",
            "/api/search?q=a&k=1.5                    | 400 | k",
            "/api/search?q=a&k=                       | 400 | k",
            "/api/search?q=a&k=99999999999999999999   | 400 | k",
            "/api/search?q=a&mode=fuzzy               | 400 | mode",
            "/api/search?q=a&alpha=2                  | 400 | alpha",
            "/api/search?q=a&alpha=NaN                | 400 | alpha",
            "/api/search?q=a&alpha=x                  | 400 | alpha",
            "/api/search?q=a&fusion=max               | 400 | fusion",
            "/api/search?q=a&q=b                      | 400 | q",
            "/api/search?q=a&top_k=3                  | 400 | top_k",
            "/api/search?q=a&%3Cscript%3E=1           | 400 | <script>",
            "/api/search?q=%ZZ                        | 400 | NULL",
            "/api/search?q=abc%                       | 400 | NULL",
            "/api/search?q=%C3%28                     | 200 | NULL",
            "/nope                                    | 404 | NULL",
            "/api/search/extra                        | 404 | NULL",
            "/api/search?q=a&page=0                   | 400 | page",
            "/api/search?q=a&page=11                  | 400 | page",
            "/api/search?q=a&page=two                 | 400 | page",
            "/api/search?q=a&page=1&page=2            | 400 | page",
            "/api/suggest                             | 400 | q",
            "/api/suggest?q=%20%20                    | 400 | q",
            "/api/suggest?q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | 400 | q",
            "/api/suggest?q=a&n=0                     | 400 | n",
            "/api/suggest?q=a&n=9                     | 400 | n",
            "/api/suggest?q=a&n=x                     | 400 | n",
            "/api/suggest?q=a&k=3                     | 400 | k",
            "/api/suggest?q=%ZZ                       | 400 | NULL",
    })
    void badGetRequestsGetAClearJsonError(String path, int status, String field) {
        // java.net.URI refuses broken percent-escapes, so those go over a raw socket.
        String p = path.strip();
        HttpProbe.Exchange r = p.contains("%ZZ") || p.endsWith("%") ? http.raw("GET", p) : HttpProbe.Exchange.of(http.get(p));
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode body = r.json();
        if (status == 200) {
            return;
        }
        assertThat(body.get("error").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        if (field == null) {
            assertThat(body.get("field").isNull()).as(r.body()).isTrue();
        } else {
            assertThat(body.get("field").asText()).as(r.body()).isEqualTo(field);
        }
    }

    @Test
    void queryLengthLimitIs512Characters() {
        String ok = "versioning ".repeat(46) + "x".repeat(6); // 512 characters
        assertThat(ok).hasSize(512);
        assertThat(http.get("/api/search?q=" + HttpProbe.encode(ok)).statusCode()).isEqualTo(200);
        HttpResponse<String> tooLong = http.get("/api/search?q=" + HttpProbe.encode(ok + "y"));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(HttpProbe.json(tooLong).get("error").asText()).contains("513").contains("512");
        // Characters, not UTF-16 units or bytes: 512 emoji are allowed.
        String emoji = "\uD83D\uDE00".repeat(512);
        assertThat(http.get("/api/search?q=" + HttpProbe.encode(emoji) + "&mode=keyword").statusCode()).isEqualTo(200);
        String guide = "g".repeat(201);
        assertThat(HttpProbe.json(http.get("/api/search?q=a&guide=" + guide)).get("field").asText()).isEqualTo("guide");
    }

    @ParameterizedTest(name = "POST /search {0} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "application/json | {                                     | 400 | NULL",
            "application/json | []                                    | 400 | NULL",
            "application/json | \"lambda\"                            | 400 | NULL",
            "application/json | null                                  | 400 | NULL",
            "application/json | {}                                    | 400 | query",
            "application/json | {\"query\": null}                     | 400 | query",
            "application/json | {\"query\": 5}                        | 400 | query",
            "application/json | {\"query\": [\"a\"]}                  | 400 | query",
            "application/json | {\"query\": \"   \"}                  | 400 | query",
            "application/json | {\"query\": \"a\", \"top_k\": \"5\"}  | 400 | top_k",
            "application/json | {\"query\": \"a\", \"top_k\": 0}      | 400 | top_k",
            "application/json | {\"query\": \"a\", \"top_k\": 101}    | 400 | top_k",
            "application/json | {\"query\": \"a\", \"top_k\": 5.5}    | 400 | top_k",
            "application/json | {\"query\": \"a\", \"top_k\": 1e30}   | 400 | top_k",
            "application/json | {\"query\": \"a\", \"alpha\": -0.1}   | 400 | alpha",
            "application/json | {\"query\": \"a\", \"alpha\": 1.5}    | 400 | alpha",
            "application/json | {\"query\": \"a\", \"alpha\": \"x\"}  | 400 | alpha",
            "application/json | {\"query\": \"a\"} trailing           | 400 | NULL",
            "application/json | {\"query\": \"a\", \"top_k\": 5.0}    | 200 | NULL",
            "application/json | {\"query\": \"\\ud800 lone\"}        | 200 | NULL",
            "text/plain       | {\"query\": \"a\"}                    | 415 | NULL",
            "application/x-www-form-urlencoded | query=a              | 415 | NULL",
    })
    void badPostBodiesGetAClearJsonError(String type, String body, int status, String field) {
        HttpResponse<String> r = http.post("/search", type.strip(), body.strip());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode json = HttpProbe.json(r);
        if (status == 200) {
            assertThat(json.get("release").asText()).isEqualTo(releaseId);
            return;
        }
        assertThat(json.get("error").asText()).isNotBlank().doesNotContain("\tat ");
        if (field == null) {
            assertThat(json.get("field").isNull()).isTrue();
        } else {
            assertThat(json.get("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void emptyOversizedAndDeeplyNestedBodiesAreRefused() {
        assertThat(http.post("/search", "application/json", "").statusCode()).isEqualTo(400);
        HttpResponse<String> big = http.post("/search", "application/json",
                "{\"query\": \"" + "a".repeat(20_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(HttpProbe.json(big).get("error").asText()).contains("16384");
        HttpResponse<String> deep = http.post("/search", "application/json", "[".repeat(5000) + "]".repeat(5000));
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(HttpProbe.json(deep).get("error").asText()).containsIgnoringCase("nesting");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "DELETE, /api/search?q=a, 405",
            "PUT, /api/search, 405",
            "POST, /api/search, 405",
            "GET, /search, 405",
            "PATCH, /search, 405",
            "DELETE, /health, 405",
            "POST, /metrics, 405",
            "DELETE, /, 405",
            "PUT, /nope, 404",
    })
    void unsupportedMethodsGetJson(String method, String path, int status) {
        HttpResponse<String> r = http.method(method, path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(HttpProbe.json(r).get("error").asText()).isNotBlank();
    }

    @Test
    void hostileButValidQueriesSearch() {
        for (String q : List.of("title:foo AND (", "' OR 1=1; --", "/regex.*/", "*", "\"unbalanced", "a\u0000b\u0007c",
                "<script>alert(1)</script>", "s3:PutObject", "\u05D0\u05D1\u05D2 \u0627\u0644\u0639\u0631\u0628\u064A\u0629",
                "\uD83D\uDE80 rocket", "NOT", "AND OR", "\\", "%", "{!lucene}x", "field:[a TO z]")) {
            for (String mode : List.of("hybrid", "keyword", "semantic")) {
                HttpResponse<String> r = http.get("/api/search?q=" + HttpProbe.encode(q) + "&mode=" + mode);
                assertThat(r.statusCode()).as(q + " " + mode + ": " + r.body()).isEqualTo(200);
                JsonNode body = HttpProbe.json(r);
                assertThat(body.get("release").asText()).isEqualTo(releaseId);
                body.get("results").forEach(h -> assertThat(h.get("snippet").asText()).doesNotContain("<script"));
            }
        }
    }

    /**
     * Ten thousand random Unicode strings, from every plane and category (controls, combining marks, RTL,
     * emoji, private use, noncharacters): each either searches (200) or is refused (400), always as JSON.
     */
    @Test
    void tenThousandRandomUnicodeStringsSearchOrGet400() throws Exception {
        RandomText text = new RandomText(20_260_101L);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            queries.add(text.next(1 + (i % 60)));
        }
        int[] outcomes = new int[600];
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = thread; i < queries.size(); i += 4) {
                        // Mostly keyword (fast); every fifth query goes through the tokenizer and the model too.
                        String mode = i % 10 == 0 ? "hybrid" : i % 10 == 5 ? "semantic" : "keyword";
                        HttpResponse<String> r = http.get("/api/search?q=" + HttpProbe.encode(queries.get(i)) + "&mode=" + mode);
                        synchronized (outcomes) {
                            outcomes[r.statusCode()]++;
                        }
                        String problem = check(r);
                        if (problem != null) {
                            failures.add(problem + " for " + escape(queries.get(i)));
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(outcomes[200] + outcomes[400]).isEqualTo(10_000);
        assertThat(outcomes[200]).isGreaterThan(5000);
        assertThat(outcomes[400]).isGreaterThan(0); // some strings are all whitespace and controls
    }

    /** The same through the prototype's JSON body, where escapes can also carry unpaired surrogates. */
    @Test
    void randomJsonStringsSearchOrGet400() {
        RandomText text = new RandomText(7L);
        for (int i = 0; i < 500; i++) {
            String q = text.next(1 + i % 40);
            String body = "{\"query\": \"" + RandomText.jsonEscape(q) + (i % 7 == 0 ? "\\udc00" : "") + "\", \"top_k\": 3}";
            HttpResponse<String> r = http.post("/search", "application/json", body);
            assertThat(check(r)).as(escape(q)).isNull();
        }
    }

    private static String check(HttpResponse<String> r) {
        if (r.statusCode() != 200 && r.statusCode() != 400) {
            return "status " + r.statusCode() + " body " + HttpProbe.abbreviate(r.body());
        }
        JsonNode body;
        try {
            body = HttpProbe.JSON.readTree(r.body());
        } catch (Exception e) {
            return "not JSON: " + HttpProbe.abbreviate(r.body());
        }
        if (r.statusCode() == 200 && !releaseId.equals(body.path("release").asText())) {
            return "200 without the release id";
        }
        if (r.statusCode() == 400 && body.path("error").asText().isBlank()) {
            return "400 without an error message";
        }
        return null;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Integer> it = s.codePoints().iterator(); it.hasNext(); ) {
            int c = it.next();
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u{%x}", c) : Character.toString(c));
        }
        return sb.toString();
    }
}
