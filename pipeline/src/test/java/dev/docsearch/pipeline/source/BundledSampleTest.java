package dev.docsearch.pipeline.source;

import dev.docsearch.pipeline.extract.HtmlExtractor;
import dev.docsearch.pipeline.extract.MarkdownPages;
import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sample of the AWS docs bundled in {@code samples/awsdocs}: what it must hold, and the {@code sample} spec. */
class BundledSampleTest {

    private static final Path SAMPLE = DocsSiteFixture.sample();

    private static List<String> listedPages() throws IOException {
        return Files.readAllLines(SAMPLE.resolve("SOURCES")).stream()
                .filter(l -> l.startsWith("page: ")).map(l -> l.substring("page: ".length()).strip()).toList();
    }

    @Test
    void theSampleIsSmallCoversEveryGuideAndCarriesItsLicences() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SAMPLE.getParent())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        assertThat(bytes).as("bytes under samples/").isLessThanOrEqualTo(2L * 1024 * 1024);

        Set<String> onDisk = new TreeSet<>();
        Map<String, Integer> perGuide = new TreeMap<>();
        for (Path f : files) {
            if (!f.startsWith(SAMPLE)) {
                continue;
            }
            String rel = SAMPLE.relativize(f).toString().replace('\\', '/');
            if (rel.endsWith(".md") && rel.indexOf('/') > 0) {
                onDisk.add(rel);
                perGuide.merge(rel.substring(0, rel.indexOf('/')), 1, Integer::sum);
            }
        }
        assertThat(new TreeSet<>(listedPages())).as("SOURCES lists exactly the pages on disk").isEqualTo(onDisk);
        assertThat(onDisk.size()).isBetween(200, 300);
        assertThat(perGuide).hasSize(11).allSatisfy((guide, n) -> assertThat(n).as(guide).isGreaterThanOrEqualTo(10));
        for (String guide : perGuide.keySet()) {
            assertThat(SAMPLE.resolve(guide).resolve("LICENSE")).as(guide + " licence").isRegularFile();
        }
        assertThat(Files.readString(SAMPLE.resolve("SOURCES"))).contains("CC BY-SA 4.0", "MIT-0", "commit:");
    }

    @Test
    void everySamplePageIsAnUnmodifiedCopyOfTheSharedData() throws IOException {
        Path shared = DocsSiteFixture.sharedData().resolve("awsdocs");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shared),
                shared + " is absent: the sample cannot be compared with its origin here; skipping");
        for (String page : listedPages()) {
            assertThat(Files.mismatch(SAMPLE.resolve(page), shared.resolve(page))).as(page).isEqualTo(-1L);
        }
    }

    @Test
    void theSampleSpecListsTheSamplePagesWithTheirDocsUrls() throws Exception {
        Source source = new LocalFolderSource(BundledSample.folder(Map.of(BundledSample.ENVIRONMENT_VARIABLE,
                SAMPLE.toString())), new MarkdownPages(), new HtmlExtractor(), 5 * 1024 * 1024);
        List<SourceEntry> entries = source.list();
        assertThat(entries).hasSize(listedPages().size());
        FetchOutcome versioning = source.fetch(entries.stream()
                .filter(e -> e.id().equals("amazon-s3-userguide/Versioning")).findFirst().orElseThrow(),
                dev.docsearch.pipeline.http.Validators.NONE);
        assertThat(versioning).isInstanceOfSatisfying(FetchOutcome.Fetched.class, f ->
                assertThat(f.page().url()).isEqualTo("https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"));
    }

    @Test
    void theSampleIsFoundBesideTheCodeAndAMissingOneIsAClearError() throws Exception {
        // Test classes live in pipeline/target/test-classes: walking up reaches the repository's samples/.
        assertThat(BundledSample.folder(Map.of())).isEqualTo(SAMPLE);
        assertThat(SourceSpecs.validate(" Sample ")).isEqualTo(BundledSample.SPEC);
        assertThatThrownBy(() -> BundledSample.folder(Map.of(BundledSample.ENVIRONMENT_VARIABLE, "/no/such/dir")))
                .isInstanceOf(SourceException.class).hasMessageContaining("DOCSEARCH_SAMPLE_DIR=/no/such/dir");
    }
}
