package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs scripts/host/build-once (the builder's one job) with stub systemctl and aws: it runs the reindex unit, reports
 * its outcome, and scales the builder's own group to 0 whatever happened.
 */
class BuildOnceTest {

  static final String SCALE_IN = "aws autoscaling set-desired-capacity --region eu-west-1 "
      + "--auto-scaling-group-name Docsearch-BuilderGroup-0ABC --desired-capacity 0";

  @TempDir
  Path dir;
  HostSandbox host;
  Path script;
  Path log;

  @BeforeEach
  void setUp() throws IOException {
    host = new HostSandbox(dir);
    script = host.executable("build-once", HostBootstrapScript.resource("build-once"));
    // The builder has the AWS CLI (its bootstrap installed it).
    Files.createSymbolicLink(host.bin.resolve("aws"), host.bin.resolve(".stub"));
    log = dir.resolve("reindex.log");
    Files.createFile(log);
  }

  private HostSandbox.Run run(Map<String, String> extra) {
    return host.run(script, Map.of("AWS_REGION", "eu-west-1", "BUILDER_GROUP", "Docsearch-BuilderGroup-0ABC",
        "REINDEX_LOG", log.toString(), "LINGER_SECONDS", "0"), extra);
  }

  @Test
  void runsTheReindexUnitThenScalesItsGroupToZero() throws IOException {
    HostSandbox.Run run = run(Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    int start = run.indexOf("systemctl start docsearch-reindex.service");
    int scaleIn = run.indexOf(SCALE_IN);
    assertThat(start).isLessThan(scaleIn);
    assertThat(Files.readString(log)).contains("reindex succeeded (exit 0)")
        .contains("scaled Docsearch-BuilderGroup-0ABC to 0");
  }

  @Test
  void aFailedReindexIsReportedAndTheBuilderStillEnds() throws IOException {
    HostSandbox.Run run = run(Map.of("STUB_REINDEX_START_EXIT", "1", "STUB_REINDEX_RESULT", "exit-code",
        "STUB_REINDEX_STATUS", "4"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.called(SCALE_IN)).isTrue();
    assertThat(Files.readString(log)).contains("FAILED: reindex ended with result 'exit-code', exit 4");
  }

  @Test
  void aScaleInThatFailsIsSaidLoudly() {
    HostSandbox.Run run = run(Map.of("STUB_SCALE_EXIT", "255"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("FAILED: could not scale Docsearch-BuilderGroup-0ABC to 0");
  }

  @Test
  void withoutItsGroupItRefusesToStart() {
    HostSandbox.Run run = run(Map.of("BUILDER_GROUP", ""));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains("BUILDER_GROUP is not set");
    assertThat(run.called("systemctl")).isFalse();
  }
}
