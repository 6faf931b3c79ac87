package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs scripts/host/reindex (what the weekly rule runs on the host) with a stub {@code java} in place of the
 * pipeline: how it calls the pipeline and how it maps the pipeline's exit codes.
 */
class ReindexScriptTest {

  @TempDir
  Path dir;
  HostSandbox host;
  Path reindex;
  Path artifacts;
  Path reindexLog;

  @BeforeEach
  void setUp() throws IOException {
    host = new HostSandbox(dir);
    reindex = host.executable("reindex", HostBootstrapScript.resource("reindex"));
    artifacts = host.root.resolve("mnt/artifacts");
    Files.createDirectories(artifacts);
    reindexLog = host.root.resolve("var/log/docsearch/reindex.log");
    Files.createDirectories(reindexLog.getParent());
    // mounted, as far as the stub mountpoint knows
    Files.createFile(host.state.resolve("mounted" + artifacts.toString().replace('/', '_')));
  }

  private HostSandbox.Run reindex(Map<String, String> extra) {
    return host.run(reindex, Map.of("ARTIFACTS_DIR", artifacts.toString(),
        "PIPELINE_JAR", "/opt/docsearch/lib/docsearch-pipeline.jar", "REINDEX_LOG", reindexLog.toString()), extra);
  }

  @Test
  void runsThePipelinesUpdateOnTheArtifactRoot() throws IOException {
    HostSandbox.Run run = reindex(Map.of("STUB_JAVA_EXIT", "0"));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.calls()).contains("java -jar /opt/docsearch/lib/docsearch-pipeline.jar update --root " + artifacts);
    assertThat(Files.readString(reindexLog)).contains("reindex: published a new release");
  }

  @Test
  void nothingToPublishIsSuccess() throws IOException {
    HostSandbox.Run run = reindex(Map.of("STUB_JAVA_EXIT", "3"));

    assertThat(run.exitCode()).isZero();
    assertThat(Files.readString(reindexLog)).contains("nothing to publish");
  }

  @ParameterizedTest(name = "exit {0}")
  @CsvSource(delimiter = '|', value = {
      "4 | FAILED: another update holds the lock",
      "1 | FAILED: the pipeline exited with 1"})
  void aHeldLockAndAFailureAreReportedWithTheirCodes(int pipelineExit, String message) {
    HostSandbox.Run run = reindex(Map.of("STUB_JAVA_EXIT", String.valueOf(pipelineExit)));
    assertThat(run.exitCode()).isEqualTo(pipelineExit);
    assertThat(run.output()).contains(message);
  }

  @Test
  void refusesToRunWithoutTheMount() throws IOException {
    Files.delete(host.state.resolve("mounted" + artifacts.toString().replace('/', '_')));

    HostSandbox.Run run = reindex(Map.of());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("FAILED: " + artifacts + " is not mounted");
    assertThat(run.called("java")).isFalse();
  }

  @Test
  void asRootItSwitchesToTheDocsearchUser() {
    HostSandbox.Run run = reindex(Map.of("STUB_UID", "0"));

    assertThat(run.exitCode()).isZero();
    assertThat(run.calls()).contains("runuser -u docsearch -- " + reindex);
    assertThat(run.called("java")).isFalse();
  }
}
