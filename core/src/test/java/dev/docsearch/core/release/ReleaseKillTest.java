package dev.docsearch.core.release;

import dev.docsearch.core.vector.VectorIndexOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A writer killed with SIGKILL at any moment never leaves CURRENT naming an incomplete release. */
class ReleaseKillTest {

    @TempDir
    Path root;

    @Test
    void sigkillDuringWriteOrPublishLeavesCurrentComplete() throws Exception {
        ReleaseStore store = new ReleaseStore(root);
        Random random = new Random(42);
        for (int round = 0; round < 4; round++) {
            Process p = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    PublishLoopMain.class.getName(), root.toString(), "400")
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                // Wait for the first publish of this round, then kill at a random point of later writes.
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("published ")) {
                    // skip log lines
                }
                assertThat(line).as("child process published a release").isNotNull();
                Thread.sleep(50 + random.nextInt(700));
                p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }

            String live = store.current().orElseThrow();
            Manifest m = store.verify(live);
            try (Release r = Release.open(store, live, VectorIndexOptions.DEFAULT)) {
                assertThat(r.chunks().size()).isEqualTo(400);
                assertThat(m.chunks()).isEqualTo(400);
            }
            // Every directory that looks complete is complete; staging leftovers are invisible and removable.
            List<String> ids = store.ids();
            for (String id : ids) {
                store.verify(id);
            }
            store.removeAbandonedStaging();
        }
    }
}
