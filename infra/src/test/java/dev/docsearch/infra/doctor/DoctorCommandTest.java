package dev.docsearch.infra.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The doctor against a loopback fake of the AWS APIs (real wire formats, signatures verified): a healthy stack
 * passes every check; each known failure mode is reported by its check with its fix.
 */
class DoctorCommandTest {

  private FakeAws aws;

  @BeforeAll
  static void fakeCredentials() {
    // The command uses the default credentials chain; system properties are its first link.
    System.setProperty("aws.accessKeyId", FakeAws.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", FakeAws.SECRET_KEY);
  }

  @AfterAll
  static void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @BeforeEach
  void start() throws Exception {
    aws = new FakeAws();
  }

  @AfterEach
  void stop() {
    assertThat(aws.signatureProblems).as("requests with bad signatures").isEmpty();
    aws.close();
  }

  /** Exit code and stdout of the command. */
  record Result(int exitCode, String out, String err) {
  }

  private Result doctor(String... extra) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new DoctorCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args = new java.util.ArrayList<>(List.of("--region", FakeAws.REGION));
    args.addAll(aws.endpointOptions());
    args.addAll(List.of(extra));
    int code = cli.execute(args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private List<CheckResult> examine() {
    try (AwsClients clients = AwsClients.create(Region.of(FakeAws.REGION),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeAws.ACCESS_KEY, FakeAws.SECRET_KEY)),
        aws::endpoint)) {
      StackResources stack = StackResources.read(clients.cloudFormation(), FakeAws.STACK);
      return new StackDoctor(clients).examine(stack);
    }
  }

  @Test
  void aHealthyStackPassesEveryCheck() {
    Result r = doctor("--stack", FakeAws.STACK);

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("doctor: stack Docsearch (eu-west-1), file system " + FakeAws.FS_ID + ", host "
        + FakeAws.INSTANCE).contains("doctor: all 9 checks passed").doesNotContain("FAIL");
    assertThat(r.out().lines().filter(l -> l.startsWith("  ok    "))).hasSize(9);
    // every service was really asked, in its own protocol
    assertThat(aws.requests).contains("cloudformation DescribeStacks", "cloudformation DescribeStackResources",
        "iam GetRole", "iam SimulatePrincipalPolicy", "iam ListAttachedRolePolicies", "ec2 DescribeInstances",
        "ec2 DescribeSecurityGroups", "events AWSEvents.DescribeRule", "events AWSEvents.ListTargetsByRule",
        "ssm AmazonSSM.DescribeInstanceInformation",
        "s3files GET /file-systems/" + FakeAws.FS_ID,
        "s3files GET /mount-targets?fileSystemId=" + FakeAws.FS_ID,
        "s3 GET /" + FakeAws.BUCKET + "?versioning", "s3 GET /" + FakeAws.BUCKET + "?encryption");
  }

  @Test
  void theStackIsFoundByItsOutputsAndLogicalIds() {
    try (AwsClients clients = AwsClients.create(Region.of(FakeAws.REGION),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeAws.ACCESS_KEY, FakeAws.SECRET_KEY)),
        aws::endpoint)) {
      StackResources stack = StackResources.read(clients.cloudFormation(), FakeAws.STACK);
      assertThat(stack).isEqualTo(new StackResources(FakeAws.STACK, FakeAws.REGION, FakeAws.ACCOUNT, FakeAws.BUCKET,
          FakeAws.FS_ID, FakeAws.INSTANCE, FakeAws.FS_ROLE, FakeAws.HOST_ROLE, FakeAws.RULE));
    }
  }

  @Test
  void anUnknownStackExitsWithThreeAndSaysWhy() {
    aws.stackExists = false;

    Result r = doctor("--stack", FakeAws.STACK);

    assertThat(r.exitCode()).isEqualTo(DoctorCommand.EXIT_STACK_UNREADABLE);
    assertThat(r.err()).contains("doctor: cannot read stack Docsearch in eu-west-1")
        .contains("Stack with id Docsearch does not exist");
  }

  @Test
  void withoutTheStackOptionItIsAUsageError() {
    Result r = doctor();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--stack=<stackName>'");
  }

  static List<Arguments> failureModes() {
    return List.of(
        mode("versioning suspended", f -> f.versioning = "Suspended", "bucket versioning",
            "versioning is Suspended", "aws s3api put-bucket-versioning --bucket " + FakeAws.BUCKET
                + " --versioning-configuration Status=Enabled"),
        mode("versioning never enabled", f -> f.versioning = "", "bucket versioning", "versioning is off",
            "put-bucket-versioning"),
        mode("trusts ec2 instead of elasticfilesystem", f -> f.fileSystemRolePrincipal = "ec2.amazonaws.com",
            "file system role trust", "trusts [ec2.amazonaws.com], not elasticfilesystem.amazonaws.com",
            "be assumed by elasticfilesystem.amazonaws.com"),
        mode("trust without conditions", f -> f.trustConditions = false, "file system role trust",
            "lacks the condition aws:SourceAccount", "aws:SourceArn"),
        mode("no EventBridge permissions", f -> f.deniedActions.addAll(List.of("events:PutRule",
            "events:PutTargets")), "file system role permissions",
            "is denied [events:PutRule, events:PutTargets]", "DO-NOT-DELETE-S3-Files*"),
        mode("role cannot write the bucket", f -> f.deniedActions.add("s3:PutObject"),
            "file system role permissions", "is denied [s3:PutObject]", "allow s3:PutObject"),
        mode("host role without the client policy", f -> f.hostPolicies.remove("AmazonS3FilesClientFullAccess"),
            "host role client policy", "lacks [AmazonS3FilesClientFullAccess]; without it the mount fails with "
                + "\"access denied by server\"", "aws iam attach-role-policy --role-name " + FakeAws.HOST_ROLE
                + " --policy-arn arn:aws:iam::aws:policy/AmazonS3FilesClientFullAccess"),
        mode("file system stuck creating", f -> f.fileSystemStatus = "creating", "file system status",
            FakeAws.FS_ID + " is creating (waiting for EventBridge rule creation)",
            "lacks its role's EventBridge permissions"),
        mode("mount targets still creating", f -> f.mountTargetStatus = "creating", "mount targets",
            "fsmt-0aaa1111bbbb2222c is creating", "wait for mount targets"),
        mode("no NFS rule from the host", f -> f.nfsFromHost = false, "mount targets",
            "does not admit NFS 2049 from the host's [" + FakeAws.HOST_SG + "]",
            "aws ec2 authorize-security-group-ingress --group-id " + FakeAws.MOUNT_SG
                + " --protocol tcp --port 2049 --source-group " + FakeAws.HOST_SG),
        mode("weekly rule disabled", f -> f.ruleState = "DISABLED", "weekly reindex rule",
            FakeAws.RULE + " is DISABLED", "aws events enable-rule --name " + FakeAws.RULE),
        mode("rule targets another instance", f -> f.ruleTargetsHost = false, "weekly reindex rule",
            "has no Run Command target running the reindex on " + FakeAws.INSTANCE, "cdk deploy"),
        mode("host not in SSM", f -> f.pingStatus = "ConnectionLost", "host managed by SSM",
            FakeAws.INSTANCE + " is ConnectionLost in SSM", "AmazonSSMManagedInstanceCore"),
        mode("bucket without default encryption", f -> f.sseAlgorithm = "none", "bucket encryption",
            "no SSE-S3 or SSE-KMS default encryption", "put-bucket-encryption"));
  }

  private static Arguments mode(String name, Consumer<FakeAws> breakIt, String check, String detail, String fix) {
    return Arguments.of(name, breakIt, check, detail, fix);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failureModes")
  void eachFailureModeIsReportedByItsCheckWithAFix(String name, Consumer<FakeAws> breakIt, String check,
      String detail, String fix) {
    breakIt.accept(aws);

    List<CheckResult> results = examine();

    Map<Boolean, List<String>> byOutcome = results.stream()
        .collect(Collectors.partitioningBy(CheckResult::passed, Collectors.mapping(CheckResult::check,
            Collectors.toList())));
    assertThat(byOutcome.get(false)).as("failed checks").containsExactly(check);
    CheckResult failed = results.stream().filter(r -> !r.passed()).findFirst().orElseThrow();
    assertThat(failed.detail()).contains(detail);
    assertThat(failed.fix()).contains(fix);
  }

  @Test
  void aFailedCheckExitsWithOneAndPrintsItsFix() {
    aws.versioning = "Suspended";

    Result r = doctor("--stack", FakeAws.STACK);

    assertThat(r.exitCode()).isEqualTo(DoctorCommand.EXIT_CHECK_FAILED);
    assertThat(r.out()).contains("  FAIL  bucket versioning: versioning is Suspended on " + FakeAws.BUCKET)
        .contains("        fix: aws s3api put-bucket-versioning --bucket " + FakeAws.BUCKET)
        .contains("doctor: 1 of 9 checks failed");
  }
}
