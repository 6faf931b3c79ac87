package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the rendered user data (scripts/host/bootstrap.sh) on a fake host: stub commands first on PATH and every
 * file it writes under a temporary ROOT_PREFIX. Checks the order of its steps, the files it leaves, its failure
 * messages and that a second run changes nothing.
 */
class HostBootstrapTest {

  static final String FS_ID = "fs-0123456789abcdef01";
  static final String MOUNT_LINE = FS_ID + ":/ /mnt/artifacts s3files _netdev,nofail 0 0";

  @TempDir
  Path dir;
  HostSandbox host;
  Path userData;

  @BeforeEach
  void renderUserData() {
    host = new HostSandbox(dir);
    userData = host.executable("user-data.sh", HostBootstrapScript.render(new HostBootstrapScript.Values(FS_ID,
        "eu-west-1", "s3://cdk-assets-eu-west-1/service0123.jar", "s3://cdk-assets-eu-west-1/pipeline0123.jar",
        8080, "/docsearch/test/host", true)));
  }

  private HostSandbox.Run boot(Map<String, String> env) {
    return host.run(userData, env);
  }

  private HostSandbox.Run boot() {
    return boot(Map.of());
  }

  private String file(String path) throws IOException {
    return Files.readString(host.root.resolve(path));
  }

  @Test
  void aFreshHostIsSetUpInOrder() {
    HostSandbox.Run run = boot();

    assertThat(run.exitCode()).as(run.output()).isZero();
    int packages = run.indexOf("apt-get install -y -q --no-install-recommends openjdk-17-jre-headless libgomp1");
    int efsUtils = run.indexOf("curl -fsSL --retry 3 -o");
    assertThat(run.calls().get(efsUtils)).endsWith("https://amazon-efs-utils.aws.com/efs-utils-installer.sh");
    int cli = run.indexOf("snap install aws-cli --classic");
    int user = run.indexOf("useradd --system --uid 2001 --gid 2001");
    int mount = run.indexOf("mount -t s3files " + FS_ID + ":/ " + host.root.resolve("mnt/artifacts"));
    int serviceJar = run.indexOf("aws s3 cp --only-show-errors --region eu-west-1 "
        + "s3://cdk-assets-eu-west-1/service0123.jar");
    int pipelineJar = run.indexOf("aws s3 cp --only-show-errors --region eu-west-1 "
        + "s3://cdk-assets-eu-west-1/pipeline0123.jar");
    int agent = run.indexOf("amazon-cloudwatch-agent-ctl -a fetch-config");
    int reload = run.indexOf("systemctl daemon-reload");
    int start = run.indexOf("systemctl restart docsearch.service");
    int firstBuild = run.indexOf("systemctl start --no-block docsearch-reindex.service");
    assertThat(List.of(packages, efsUtils, cli, user, mount, serviceJar, pipelineJar, agent, reload, start,
        firstBuild)).isSorted();
    assertThat(run.output()).contains("no release in /mnt/artifacts yet: started the first build")
        .contains("docsearch-bootstrap: done");
  }

  @Test
  void aFreshHostHasItsMountUserJarsAndUnits() throws IOException {
    HostSandbox.Run run = boot();
    assertThat(run.exitCode()).as(run.output()).isZero();

    assertThat(file("etc/fstab")).isEqualTo(MOUNT_LINE + "\n");
    assertThat(Files.readAllLines(host.state.resolve("passwd")))
        .containsExactly("docsearch:x:2001:2001::/opt/docsearch:/usr/sbin/nologin");
    assertThat(Files.getAttribute(host.root.resolve("mnt/artifacts"), "unix:uid")).isEqualTo(2001);
    assertThat(file("opt/docsearch/lib/docsearch-service.jar")).startsWith("PK");
    assertThat(file("opt/docsearch/lib/docsearch-pipeline.jar")).contains("pipeline0123.jar");

    String unit = file("etc/systemd/system/docsearch.service");
    assertThat(unit).contains("Environment=ARTIFACTS_DIR=/mnt/artifacts", "Environment=PORT=8080",
        "User=docsearch", "Restart=on-failure", "NoNewPrivileges=true", "ProtectSystem=strict",
        "Environment=OMP_NUM_THREADS=1",
        "ExecStart=/usr/bin/java -Xms256m -Xmx512m -XX:+ExitOnOutOfMemoryError -jar /opt/docsearch/lib/docsearch-service.jar",
        "RequiresMountsFor=/mnt/artifacts", "WantedBy=multi-user.target");
    assertThat(file("etc/systemd/system/docsearch-reindex.service"))
        .contains("ExecStart=/opt/docsearch/bin/reindex", "Type=oneshot", "User=docsearch");
    Path reindex = host.root.resolve("opt/docsearch/bin/reindex");
    assertThat(Files.isExecutable(reindex)).isTrue();
    assertThat(Files.readString(reindex)).startsWith("#!/usr/bin/env bash\n")
        .contains("update --root \"$ARTIFACTS_DIR\"");
    assertThat(file("opt/aws/amazon-cloudwatch-agent/etc/docsearch.json"))
        .contains("\"log_group_name\": \"/docsearch/test/host\"", "/var/log/docsearch/reindex.log");
    assertThat(Files.getAttribute(host.root.resolve("var/log/docsearch"), "unix:uid")).isEqualTo(2001);
    assertThat(file("var/log/docsearch-bootstrap.log")).contains("docsearch-bootstrap: mounted " + FS_ID)
        .contains("docsearch-bootstrap: done");
  }

  @Test
  void aSecondRunChangesNothing() {
    HostSandbox.Run first = boot();
    assertThat(first.exitCode()).as(first.output()).isZero();
    Map<String, String> before = host.snapshot("var/log/docsearch-bootstrap.log");
    List<String> usersBefore = readState("passwd");

    HostSandbox.Run second = boot();

    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(host.snapshot("var/log/docsearch-bootstrap.log")).isEqualTo(before);
    assertThat(readState("passwd")).isEqualTo(usersBefore).hasSize(1);
    for (String change : List.of("apt-get", "curl", "snap", "useradd", "groupadd", "mount -t", "dpkg -i",
        "amazon-cloudwatch-agent-ctl", "systemctl daemon-reload", "systemctl restart", "systemctl enable")) {
      assertThat(second.called(change)).as("second run called " + change + "\n" + second.calls()).isFalse();
    }
  }

  @Test
  void newJarsRestartTheServiceAndNothingElse() {
    assertThat(boot().exitCode()).isZero();

    HostSandbox.Run redeploy = boot(Map.of("STUB_JAR_VERSION", "2"));

    assertThat(redeploy.exitCode()).as(redeploy.output()).isZero();
    assertThat(redeploy.called("systemctl restart docsearch.service")).isTrue();
    assertThat(redeploy.called("systemctl daemon-reload")).isFalse();
    assertThat(redeploy.output()).contains("installed " + host.root.resolve("opt/docsearch/lib/docsearch-service.jar"));
  }

  @Test
  void noFirstBuildWhenAReleaseExists() throws IOException {
    Files.createDirectories(host.root.resolve("mnt/artifacts"));
    Files.writeString(host.root.resolve("mnt/artifacts/CURRENT"), "20250101T000000Z\n");

    HostSandbox.Run run = boot();

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.called("systemctl start --no-block docsearch-reindex.service")).isFalse();
  }

  @Test
  void anOlderFstabEntryForTheMountPointIsReplacedAndOthersKept() throws IOException {
    Files.createDirectories(host.root.resolve("etc"));
    Files.writeString(host.root.resolve("etc/fstab"), "LABEL=cloudimg-rootfs / ext4 defaults 0 1\n"
        + "fs-00000000000000000:/ /mnt/artifacts s3files _netdev 0 0\n");

    HostSandbox.Run run = boot();

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(file("etc/fstab")).isEqualTo("LABEL=cloudimg-rootfs / ext4 defaults 0 1\n" + MOUNT_LINE + "\n");
  }

  @Test
  void aMountThatNeverAppearsFailsWithAClearLineAndStartsNothing() throws IOException {
    HostSandbox.Run run = boot(Map.of("STUB_MOUNT_FAIL", "1", "MOUNT_TIMEOUT_SECONDS", "2",
        "MOUNT_RETRY_SECONDS", "0.5"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains("access denied by server")
        .contains("FAILED: S3 Files file system " + FS_ID + " did not mount at /mnt/artifacts within 2s");
    assertThat(file("var/log/docsearch-bootstrap.log")).contains("did not mount at /mnt/artifacts within 2s");
    assertThat(run.called("aws s3 cp")).isFalse();
    assertThat(run.called("systemctl")).isFalse();
  }

  @Test
  void whenAwsInstallerFailsEfsUtilsIsBuiltFromSource() {
    HostSandbox.Run run = boot(Map.of("STUB_CURL_FAIL", "efs-utils-installer"));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("AWS's installer did not give amazon-efs-utils >= 3.0.0");
    int clone = run.indexOf("git clone --depth 1 https://github.com/aws/efs-utils");
    int install = run.indexOf("apt-get install -y -q " + dir.resolve("tmp"));
    int mount = run.indexOf("mount -t s3files");
    assertThat(List.of(clone, install, mount)).isSorted();
    assertThat(run.calls().get(install)).endsWith("/efs-utils/build/amazon-efs-utils-3.0.0-1_all.deb");
  }

  @Test
  void anEfsUtilsOlderThanThreeIsNotAcceptedAndABuildWithoutPackageFails() {
    HostSandbox.Run run = boot(Map.of("STUB_INSTALLER_EFS_VERSION", "2.4.1", "STUB_GIT_NO_DEB", "1"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains("falling back to a source build")
        .contains("FAILED: the efs-utils source build produced no .deb");
    assertThat(run.called("mount")).isFalse();
  }

  @Test
  void thePlaceholderJarIsRefusedWithWhatToDo() {
    HostSandbox.Run run = boot(Map.of("STUB_PLACEHOLDER", "1"));

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains("FAILED: docsearch-service.jar from s3://cdk-assets-eu-west-1/service0123.jar "
        + "is not a jar: docsearch placeholder, not a jar")
        .contains("build the jars (mvn -B package) and run cdk deploy again");
    assertThat(run.called("systemctl")).isFalse();
  }

  private List<String> readState(String name) {
    try {
      return Files.readAllLines(host.state.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
