package dev.docsearch.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.core.embed.BundledModel;
import dev.docsearch.core.model.Chunk;
import dev.docsearch.core.release.ChunkStore;
import dev.docsearch.core.release.Manifest;
import dev.docsearch.core.release.ReleaseStore;
import dev.docsearch.pipeline.events.LoopbackEventBridge;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The weekly job end to end, through the command line, on real pages served by the loopback docs site: a first
 * update publishes a verified release; a page edit, a deletion and an addition later, the second update fetches
 * and embeds only those, publishes a release whose search results show the change, keeps the first for rollback,
 * and announces itself on a (loopback) EventBridge bus.
 */
class UpdateEndToEndTest {

    // The two guides of which the bundled sample holds 8 small pages (SmallSite), so the site is the same with
    // either corpus.
    private static final String LOGS = "amazon-cloudwatch-logs-user-guide";
    private static final String VPC = "amazon-vpc-user-guide";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void credentials() {
        LoopbackEventBridge.useTestCredentials();
    }

    @Test
    void updateFetchesAndEmbedsOnlyWhatChangedAndPublishesIt(@TempDir Path root) throws Exception {
        try (DocsSiteFixture site = SmallSite.start(8, LOGS, VPC);
             LoopbackEventBridge bridge = new LoopbackEventBridge()) {
            List<String> ids = site.pageIds();
            assertThat(ids).hasSize(16);
            List<String> flags = SmallSite.updateFlags(root, site);
            ReleaseStore store = new ReleaseStore(root);

            // 1. First update: every page fetched once and embedded; a refused event endpoint costs nothing.
            // The refused endpoint is a port bound for the run but never listening: connections to it are refused,
            // and no other process can take it meanwhile.
            CliRun.Result first;
            try (Socket refusing = new Socket()) {
                refusing.setReuseAddress(false);
                refusing.bind(new InetSocketAddress("127.0.0.1", 0));
                first = CliRun.run(SmallSite.args("update", flags, "--events-bus", "docsearch",
                        "--events-endpoint", "http://127.0.0.1:" + refusing.getLocalPort()));
            }
            assertThat(first.code()).as(first.toString()).isZero();
            String id1 = first.value("release");
            assertThat(first.figure("pages_added")).isEqualTo(16);
            assertThat(first.figure("pages_changed")).isZero();
            assertThat(first.figure("chunks_reused")).isZero();
            int chunks1 = first.figure("chunks_embedded");
            assertThat(chunks1).isGreaterThanOrEqualTo(16);
            assertThat(store.current()).contains(id1);
            Manifest m1 = store.verify(id1);
            assertThat(m1.pages()).isEqualTo(16);
            assertThat(m1.chunks()).isGreaterThanOrEqualTo(chunks1);
            for (String id : ids) {
                assertThat(site.pageRequests(id)).as(id).isEqualTo(1);
            }
            assertThat(root.resolve("update.lock")).doesNotExist();
            // Crawled HTML pages link their sections by the headings' ids, as the site serves them.
            int anchored = 0;
            int headed = 0;
            try (ChunkStore chunks = ChunkStore.open(store.releaseDir(id1))) {
                for (int i = 0; i < chunks.size(); i++) {
                    Chunk c = chunks.get(i);
                    headed += c.sectionPath().isEmpty() ? 0 : 1;
                    if (!c.anchor().isEmpty()) {
                        anchored++;
                        assertThat(c.sectionUrl()).isEqualTo(site.pageUrl(c.pageId()) + "#" + c.anchor());
                        assertThat(site.html(c.pageId())).as(c.id()).containsPattern("<h[2-6] id=\"" + java.util.regex.Pattern.quote(c.anchor()) + "\"");
                    }
                }
                assertThat(anchored).as("chunks under a heading with a section link, of " + headed + " (" + chunks.size()
                        + " chunks)").isGreaterThanOrEqualTo(headed * 9 / 10).isPositive();
            }

            // 2. Nothing changed: no page is fetched (their lastmod did not move), nothing is published.
            site.resetCounts();
            CliRun.Result idle = CliRun.run(SmallSite.args("update", flags));
            assertThat(idle.code()).as(idle.toString()).isEqualTo(ExitCode.NOTHING_TO_PUBLISH);
            assertThat(idle.summary()).startsWith("summary: nothing to publish").contains("pages_unchanged=16");
            assertThat(site.totalPageRequests()).isZero();
            assertThat(store.current()).contains(id1);

            // 3. Two pages edited, one deleted, one added.
            String edited1 = ids.get(1);
            String edited2 = ids.get(12);
            String deleted = ids.get(5);
            String added = LOGS + "/zz-quokka-runtime";
            site.modifyPage(edited1, md -> md + "\n\nThe quokkaflux setting tunes log ingestion.\n");
            site.modifyPage(edited2, md -> md + "\n\nSubnets also honour the quokkaflux header.\n");
            site.deletePage(deleted);
            site.addPage(added, "# Running functions on the zebrafinch runtime\n\n"
                    + "The zebrafinch runtime starts functions in a lightweight sandbox. Choose it when your "
                    + "function needs fast cold starts and little memory.\n");
            String deletedTitle = title(deleted);
            site.resetCounts();

            CliRun.Result second = CliRun.run(SmallSite.args("update", flags, "--events-bus", "docsearch-bus",
                    "--events-endpoint", bridge.endpoint().toString(), "--aws-region", "eu-central-1"));
            assertThat(second.code()).as(second.toString()).isZero();
            String id2 = second.value("release");
            assertThat(id2).isNotEqualTo(id1);
            assertThat(second.summary()).matches("summary: release=\\S+ pages_added=1 pages_changed=2 pages_removed=1 "
                    + "pages_unchanged=13 chunks_embedded=\\d+ chunks_reused=\\d+ seconds=[0-9.]+");
            // Fetched: exactly the two edited pages and the new one (the deleted one is no longer listed).
            assertThat(site.totalPageRequests()).isEqualTo(3);
            assertThat(site.pageRequests(edited1)).isEqualTo(1);
            assertThat(site.pageRequests(edited2)).isEqualTo(1);
            assertThat(site.pageRequests(added)).isEqualTo(1);
            // Embedded: only chunks of the edited and added pages; everything else came from the cache.
            Manifest m2 = store.verify(id2);
            int embedded = second.figure("chunks_embedded");
            int reused = second.figure("chunks_reused");
            assertThat(embedded).isBetween(3, 8);
            assertThat(embedded + reused).isEqualTo(m2.chunks());
            assertThat(m2.pages()).isEqualTo(16);
            assertThat(m2.parent()).isEqualTo(id1);
            assertThat(store.current()).contains(id2);

            // The event went to the bus, through the SDK, with what changed.
            assertThat(bridge.received()).hasSize(1);
            JsonNode entry = JSON.readTree(bridge.received().get(0).body()).path("Entries").get(0);
            assertThat(entry.path("DetailType").asText()).isEqualTo("ReleasePublished");
            JsonNode detail = JSON.readTree(entry.path("Detail").asText());
            assertThat(detail.path("release").asText()).isEqualTo(id2);
            assertThat(detail.path("previous").asText()).isEqualTo(id1);
            assertThat(detail.path("pagesAdded").asInt()).isEqualTo(1);
            assertThat(detail.path("pagesChanged").asInt()).isEqualTo(2);
            assertThat(detail.path("pagesRemoved").asInt()).isEqualTo(1);
            assertThat(detail.path("chunks").asInt()).isEqualTo(m2.chunks());

            // Search sees the change: the new page's word finds it, the edit is found, the deleted page is gone.
            assertThat(hits(root, "zebrafinch runtime", "hybrid")).first().isEqualTo(added);
            assertThat(hits(root, "quokkaflux", "keyword")).containsExactlyInAnyOrder(edited1, edited2);
            assertThat(hits(root, deletedTitle, "hybrid")).isNotEmpty().doesNotContain(deleted);
            assertThat(hits(root, "subnet", "hybrid", "--guide", VPC)).isNotEmpty().allMatch(id -> id.startsWith(VPC + "/"));
            CliRun.Result text = CliRun.run("search", "zebrafinch runtime", "--root", root.toString(), "--k", "3");
            assertThat(text.code()).isZero();
            assertThat(text.out()).startsWith(" 1. Running functions on the zebrafinch runtime  [" + LOGS + "]")
                    .contains(site.pageUrl(added)).contains("*zebrafinch*");
            assertThat(text.summary()).startsWith("summary: release=" + id2 + " model=" + BundledModel.DEFAULT_NAME
                    + " mode=hybrid hits=3 ");

            // 4. The first release is kept: listed, and a rollback makes it live again.
            JsonNode list = JSON.readTree(CliRun.run("releases", "list", "--root", root.toString(), "--json").out());
            assertThat(list).hasSize(2);
            assertThat(list.get(0).path("id").asText()).isEqualTo(id1);
            assertThat(list.get(1).path("live").asBoolean()).isTrue();
            assertThat(list.get(1).path("pages").asInt()).isEqualTo(16);

            CliRun.Result rollback = CliRun.run("releases", "rollback", id1, "--root", root.toString());
            assertThat(rollback.code()).as(rollback.toString()).isZero();
            assertThat(rollback.summary()).contains("release=" + id1, "previous=" + id2, "rollback=true");
            assertThat(store.current()).contains(id1);
            assertThat(hits(root, "zebrafinch", "keyword")).doesNotContain(added);
            assertThat(hits(root, deletedTitle, "keyword")).contains(deleted);
            assertThat(CliRun.run("releases", "rollback", id1, "--root", root.toString()).code())
                    .isEqualTo(ExitCode.NOTHING_TO_PUBLISH);

            // 5. Back to the new one, then garbage-collect down to it. gc keeps the newest verified release before
            // the live one whatever --keep says; damaged, the first counts for nothing and is deleted.
            assertThat(CliRun.run("publish", id2, "--root", root.toString()).code()).isZero();
            dev.docsearch.core.fixture.Corruption.flipByte(store.releaseDir(id1).resolve("chunks.dat"));
            CliRun.Result gc = CliRun.run("releases", "gc", "--keep", "1", "--root", root.toString());
            assertThat(gc.code()).as(gc.toString()).isZero();
            assertThat(gc.summary()).contains("deleted=1", "live=" + id2);
            assertThat(store.ids()).containsExactly(id2);
            assertThat(root.resolve("builds").resolve(id1 + ".json")).doesNotExist();
            assertThat(root.resolve("builds").resolve(id2 + ".json")).exists();
        }
    }

    /** Page ids of a search of the live release, through the CLI's JSON output. */
    private static List<String> hits(Path root, String query, String mode, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("search", query, "--root", root.toString(), "--mode", mode,
                "--k", "10", "--json"));
        args.addAll(List.of(more));
        CliRun.Result r = CliRun.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> ids = new ArrayList<>();
        for (JsonNode h : JSON.readTree(r.out()).path("hits")) {
            ids.add(h.path("pageId").asText());
        }
        return ids;
    }

    private static String title(String id) throws Exception {
        for (String line : Files.readAllLines(DocsSiteFixture.awsdocs().resolve(id + ".md"))) {
            if (line.startsWith("# ")) {
                return line.substring(2).replaceAll("<a name=\"[^\"]*\"></a>", "").strip();
            }
        }
        throw new AssertionError("no title in " + id);
    }
}
