package dev.docsearch.pipeline.cli;

import dev.docsearch.pipeline.fixture.DocsSiteFixture;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One artifact root with a live release of the bundled sample, built by {@code docsearch update} once per test JVM
 * and shared by the tests that only read it (building it takes a minute of the suite's budget on 2 cores). Tests
 * must not publish to, prune or otherwise change this root; a test that needs to change one builds its own.
 */
final class SampleRelease {

    private static Path root;

    private SampleRelease() {
    }

    /** The shared root, built on first use; deleted when the JVM exits. */
    static synchronized Path root() throws Exception {
        if (root == null) {
            Path dir = Files.createTempDirectory("docsearch-sample-release");
            CliRun.Result update = CliRun.run("update", "--root", dir.toString(), "--source",
                    "dir:" + DocsSiteFixture.sample(), "--progress", "none");
            assertThat(update.code()).as(update.toString()).isZero();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            root = dir;
        }
        return root;
    }

    private static void deleteQuietly(Path dir) {
        try {
            IOUtils.rm(dir);
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
