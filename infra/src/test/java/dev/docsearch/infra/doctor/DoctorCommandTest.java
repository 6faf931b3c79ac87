package dev.docsearch.infra.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
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
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

/**
 * The doctor against a loopback fake of the AWS APIs (real wire formats, signatures verified): a healthy stack of
 * today's shape passes every check; each known failure mode is reported by its check, and by it alone, with its fix.
 */
class DoctorCommandTest {

  private static final List<String> CHECKS = List.of("bucket versioning", "bucket encryption",
      "file system role trust", "file system role permissions", "file system status", "serving role",
      "builder role", "mount targets", "serving group", "load balancer targets", "builder group",
      "weekly reindex schedule", "hosts managed by SSM");

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
    assertThat(aws.signatureProblems).as("requests with bad signatures, or that the fake does not know").isEmpty();
    aws.close();
  }

  /** Exit code and output of the command. */
  record Result(int exitCode, String out, String err) {
  }

  private Result doctor(String... args) {
    List<String> all = new ArrayList<>(List.of("--region", FakeAws.REGION));
    all.addAll(List.of(args));
    return run(new DoctorCommand(), all);
  }

  private Result run(DoctorCommand command, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(aws.endpointOptions());
    all.addAll(args);
    int code = cli.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private AwsClients clients() {
    return AwsClients.create(Region.of(FakeAws.REGION),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeAws.ACCESS_KEY, FakeAws.SECRET_KEY)),
        aws::endpoint);
  }

  private List<CheckResult> examine() {
    try (AwsClients clients = clients()) {
      StackResources stack = StackResources.read(clients.cloudFormation(), FakeAws.STACK);
      return new StackDoctor(clients).examine(stack);
    }
  }

  @Test
  void aHealthyStackPassesEveryCheck() {
    Result r = doctor("--stack", FakeAws.STACK);

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("doctor: stack Docsearch (eu-west-1), file system " + FakeAws.FS_ID
        + ", serving group " + FakeAws.SERVING_GROUP + " (3 of 3 healthy), builder group " + FakeAws.BUILDER_GROUP)
        .contains("doctor: all 13 checks passed").doesNotContain("FAIL");
    assertThat(r.out().lines().filter(l -> l.startsWith("  ok    ")).map(l -> l.substring(8, l.indexOf(':'))))
        .containsExactlyElementsOf(CHECKS);
    assertThat(r.out()).contains("ok    builder group: at rest (desired 0)")
        .contains("ok    hosts managed by SSM: all 3 hosts in service are Online")
        .contains("ok    mount targets: 2 available, covering the hosts' zones [eu-west-1a, eu-west-1b]")
        .contains("ok    weekly reindex schedule: " + FakeAws.SCHEDULE + " enabled, cron(0 3 ? * SUN *) Etc/UTC");
    // every service was really asked, in its own protocol
    assertThat(aws.requests).contains("cloudformation DescribeStacks", "cloudformation ListStackResources",
        "iam GetRole", "iam SimulatePrincipalPolicy", "iam ListAttachedRolePolicies", "ec2 DescribeSubnets",
        "ec2 DescribeSecurityGroups", "autoscaling DescribeAutoScalingGroups",
        "elasticloadbalancing DescribeTargetHealth", "ssm AmazonSSM.DescribeInstanceInformation",
        "scheduler GET /schedules/" + FakeAws.SCHEDULE + "?groupName=default",
        "s3files GET /file-systems/" + FakeAws.FS_ID,
        "s3files GET /mount-targets?fileSystemId=" + FakeAws.FS_ID,
        "s3 GET /" + FakeAws.BUCKET + "?versioning", "s3 GET /" + FakeAws.BUCKET + "?encryption");
    // each group described once, for the header and every check alike
    assertThat(aws.requests.stream().filter(q -> q.equals("autoscaling DescribeAutoScalingGroups"))).hasSize(2);
  }

  @Test
  void theStackIsFoundByItsOutputsAndLogicalIdsOverEveryPage() {
    try (AwsClients clients = clients()) {
      StackResources stack = StackResources.read(clients.cloudFormation(), FakeAws.STACK);
      assertThat(stack).isEqualTo(new StackResources(FakeAws.STACK, FakeAws.REGION, FakeAws.ACCOUNT, FakeAws.BUCKET,
          FakeAws.FS_ID, FakeAws.SERVING_GROUP, FakeAws.BUILDER_GROUP, FakeAws.LOG_GROUP, FakeAws.FS_ROLE,
          FakeAws.SERVING_ROLE, FakeAws.BUILDER_ROLE, FakeAws.SERVING_SG, FakeAws.BUILDER_SG, FakeAws.MOUNT_SG,
          FakeAws.TARGET_GROUP,
          FakeAws.SCHEDULE, "default"));
    }
    assertThat(aws.requests.stream().filter(q -> q.equals("cloudformation ListStackResources")))
        .as("pages of ListStackResources").hasSize(4);
  }

  @Test
  void aBuildInProgressPassesAsBuildingNow() {
    aws.builderDesired = 1;
    aws.builderHosts.add(FakeAws.Host.inService(FakeAws.BUILDER_1, FakeAws.SUBNET_B));

    Result r = doctor("--stack", FakeAws.STACK);

    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains("ok    builder group: building now on " + FakeAws.BUILDER_1)
        .contains("ok    hosts managed by SSM: all 4 hosts in service are Online");
  }

  @Test
  void theHeaderCountsTheHealthyServingHosts() {
    aws.servingHosts.remove(2);

    Result r = doctor("--stack", FakeAws.STACK);

    assertThat(r.exitCode()).isEqualTo(DoctorCommand.EXIT_CHECK_FAILED);
    assertThat(r.out()).contains("serving group " + FakeAws.SERVING_GROUP + " (2 of 3 healthy)");
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
  void withoutARegionItExitsWithThreeAndSaysWhy() {
    DoctorCommand command = new DoctorCommand();
    command.defaultRegion = () -> {
      throw SdkClientException.create("Unable to load region from any of the providers in the chain");
    };

    Result r = run(command, List.of("--stack", FakeAws.STACK));

    assertThat(r.exitCode()).isEqualTo(DoctorCommand.EXIT_STACK_UNREADABLE);
    assertThat(r.err()).contains("doctor: no AWS region: pass --region or set AWS_REGION");
    assertThat(aws.requests).as("nothing asked without a region").isEmpty();
  }

  @Test
  void withoutTheStackOptionItIsAUsageError() {
    Result r = doctor();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--stack=<stackName>'");
  }

  @Test
  void aCheckThatCannotBeReadFailsAloneAndTheOthersStillRun() {
    aws.scheduleExists = false;

    List<CheckResult> results = examine();

    assertThat(results).filteredOn(CheckResult::passed).hasSize(CHECKS.size() - 1);
    assertThat(results).filteredOn(r -> !r.passed()).singleElement().satisfies(r -> {
      assertThat(r.check()).isEqualTo("weekly reindex schedule");
      assertThat(r.detail()).startsWith("could not be checked: ").contains("does not exist")
          .contains("Status Code: 404");
      assertThat(r.fix()).contains("cdk deploy will not notice: recreate it by hand");
    });
  }

  @Test
  void onAFirstDeployHostsAnswering503WhileTheBuilderBuildsAreExpected() {
    aws.builderDesired = 1;
    aws.builderHosts.add(FakeAws.Host.inService(FakeAws.BUILDER_1, FakeAws.SUBNET_B));
    aws.unhealthyTarget = FakeAws.SERVING_1;

    assertThat(examine()).allSatisfy(r -> assertThat(r.passed()).as(r.check() + ": " + r.detail()).isTrue())
        .filteredOn(r -> r.check().equals("load balancer targets")).singleElement()
        .satisfies(r -> assertThat(r.detail()).contains(FakeAws.SERVING_1 + " is unhealthy")
            .contains("a host answers 503 until there is a release to serve, and the builder is building one"));
  }

  @Test
  void aTargetDrainingInARollingUpdateIsNoFailure() {
    aws.drainingTarget = FakeAws.SERVING_3;

    assertThat(examine()).filteredOn(r -> r.check().equals("load balancer targets")).singleElement()
        .satisfies(r -> {
          assertThat(r.passed()).isTrue();
          assertThat(r.detail()).isEqualTo("2 of 3 targets healthy on /health (1 registering or draining)");
        });
  }

  @Test
  void iamIsAskedAtTheGlobalEndpointOfTheStacksPartition() {
    assertThat(AwsClients.iamRegion(Region.EU_WEST_1)).isEqualTo(Region.AWS_GLOBAL);
    assertThat(AwsClients.iamRegion(Region.CN_NORTH_1)).isEqualTo(Region.AWS_CN_GLOBAL);
    assertThat(AwsClients.iamRegion(Region.US_GOV_WEST_1)).isEqualTo(Region.AWS_US_GOV_GLOBAL);
    assertThat(AwsClients.partitionOf(Region.CN_NORTHWEST_1)).isEqualTo("aws-cn");
  }

  @Test
  void anUnreadableCheckSaysWhatToDoByWhatAwsAnswered() {
    assertThat(StackDoctor.unreadableFix(AwsServiceException.builder().statusCode(403).message("denied").build()))
        .contains("your credentials may not make this call");
    assertThat(StackDoctor.unreadableFix(AwsServiceException.builder().statusCode(500).message("oops").build()))
        .contains("run doctor again");
    assertThat(StackDoctor.unreadableFix(new S3FilesApi.S3FilesApiException(404, "FileSystemNotFound", "gone")))
        .contains("AWS no longer has");
    assertThat(StackDoctor.unreadableFix(new IllegalStateException("no network"))).contains("network");
  }

  static List<Arguments> failureModes() {
    String serving3 = FakeAws.SERVING_3;
    return List.of(
        mode("versioning suspended", f -> f.versioning = "Suspended", "bucket versioning",
            "versioning is Suspended", "aws s3api put-bucket-versioning --bucket " + FakeAws.BUCKET
                + " --versioning-configuration Status=Enabled"),
        mode("versioning never enabled", f -> f.versioning = "", "bucket versioning", "versioning is off",
            "put-bucket-versioning"),
        mode("bucket without default encryption", f -> f.sseAlgorithm = "none", "bucket encryption",
            "no SSE-S3 or SSE-KMS default encryption", "put-bucket-encryption"),
        mode("trusts ec2 instead of elasticfilesystem", f -> f.fileSystemRolePrincipal = "ec2.amazonaws.com",
            "file system role trust", "trusts [ec2.amazonaws.com], not elasticfilesystem.amazonaws.com",
            "be assumed by elasticfilesystem.amazonaws.com"),
        mode("trust without conditions", f -> f.trustConditions = false, "file system role trust",
            "lacks the condition aws:SourceAccount", "aws:SourceArn"),
        mode("no EventBridge permissions", f -> f.deny(FakeAws.FS_ROLE, "events:PutRule", "events:PutTargets"),
            "file system role permissions", "is denied [events:PutRule, events:PutTargets]",
            "DO-NOT-DELETE-S3-Files*"),
        mode("file system role cannot write the bucket", f -> f.deny(FakeAws.FS_ROLE, "s3:PutObject"),
            "file system role permissions", "is denied [s3:PutObject]", "allow s3:PutObject"),
        mode("file system stuck creating", f -> f.fileSystemStatus = "creating", "file system status",
            FakeAws.FS_ID + " is creating (waiting for EventBridge rule creation)",
            "lacks its role's EventBridge permissions"),
        mode("file system over another bucket", f -> f.fileSystemBucket = "someone-elses-bucket",
            "file system status", "presents arn:aws:s3:::someone-elses-bucket, not the stack's bucket", "cdk deploy"),
        mode("serving role without the client policy",
            f -> f.attachedPolicies.get(FakeAws.SERVING_ROLE).remove("AmazonS3FilesClientFullAccess"),
            "serving role", "lacks [AmazonS3FilesClientFullAccess]; without it the mount fails with "
                + "\"access denied by server\"", "aws iam attach-role-policy --role-name " + FakeAws.SERVING_ROLE
                + " --policy-arn arn:aws:iam::aws:policy/AmazonS3FilesClientFullAccess"),
        mode("builder role without the SSM policy",
            f -> f.attachedPolicies.get(FakeAws.BUILDER_ROLE).remove("AmazonSSMManagedInstanceCore"),
            "builder role", "lacks [AmazonSSMManagedInstanceCore]; without it SSM cannot reach the host",
            "aws iam attach-role-policy --role-name " + FakeAws.BUILDER_ROLE
                + " --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"),
        mode("serving role without direct reads", f -> f.deny(FakeAws.SERVING_ROLE, "s3:GetObjectVersion"),
            "serving role", FakeAws.SERVING_ROLE + " is denied [s3:GetObjectVersion] on the bucket; without them "
                + "efs-utils turns S3 Files' direct reads off",
            "aws iam put-role-policy --role-name " + FakeAws.SERVING_ROLE + " --policy-name S3FilesDirectReads "
                + "--policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "[\"s3:GetObject\",\"s3:GetObjectVersion\"],\"Resource\":\"arn:aws:s3:::" + FakeAws.BUCKET
                + "/*\"}"),
        mode("builder role cannot list the bucket", f -> f.deny(FakeAws.BUILDER_ROLE, "s3:ListBucket"),
            "builder role", "is denied [s3:ListBucket] on the bucket", "--role-name " + FakeAws.BUILDER_ROLE
                + " --policy-name S3FilesDirectReads"),
        mode("mount targets still creating", f -> f.mountTargetStatus = "creating", "mount targets",
            "fsmt-0aaa1111bbb22222c is creating", "wait for the mount targets to become available"),
        mode("a zone without a mount target", f -> f.mountTargetSubnets.remove(FakeAws.SUBNET_B), "mount targets",
            "no available mount target in eu-west-1b, where the hosts' subnet " + FakeAws.SUBNET_B + " is",
            "aws s3files create-mount-target --file-system-id " + FakeAws.FS_ID + " --subnet-id " + FakeAws.SUBNET_B
                + " --security-groups " + FakeAws.MOUNT_SG),
        mode("no mount target at all", f -> f.mountTargetSubnets.clear(), "mount targets",
            "no available mount target in eu-west-1a", "aws s3files create-mount-target --file-system-id "
                + FakeAws.FS_ID + " --subnet-id " + FakeAws.SUBNET_A + " --security-groups " + FakeAws.MOUNT_SG),
        mode("no NFS from the serving hosts", f -> f.nfsFrom.remove(FakeAws.SERVING_SG), "mount targets",
            "does not admit NFS 2049 from the serving hosts' " + FakeAws.SERVING_SG,
            "aws ec2 authorize-security-group-ingress --group-id " + FakeAws.MOUNT_SG
                + " --protocol tcp --port 2049 --source-group " + FakeAws.SERVING_SG),
        mode("no NFS from the builder", f -> f.nfsFrom.remove(FakeAws.BUILDER_SG), "mount targets",
            "does not admit NFS 2049 from the builder's " + FakeAws.BUILDER_SG,
            "aws ec2 authorize-security-group-ingress --group-id " + FakeAws.MOUNT_SG
                + " --protocol tcp --port 2049 --source-group " + FakeAws.BUILDER_SG),
        mode("serving group short of a host", f -> f.servingHosts.remove(2), "serving group",
            "2 of the desired 3 hosts are InService and Healthy", "aws autoscaling describe-scaling-activities "
                + "--auto-scaling-group-name " + FakeAws.SERVING_GROUP),
        mode("a serving host unhealthy in its group",
            f -> f.servingHosts.set(2, new FakeAws.Host(serving3, FakeAws.SUBNET_A, "InService", "Unhealthy")),
            "serving group", "2 of the desired 3 hosts are InService and Healthy (" + serving3
                + " InService/Unhealthy)", "bootstrap logs are in " + FakeAws.LOG_GROUP),
        mode("an unhealthy target", f -> f.unhealthyTarget = FakeAws.SERVING_2, "load balancer targets",
            FakeAws.SERVING_2 + " is unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: "
                + "[503])", "aws ssm start-session --target " + FakeAws.SERVING_2 + ", then journalctl -u docsearch "
                + "-n 100), or replace just it: aws autoscaling terminate-instance-in-auto-scaling-group --instance-id "
                + FakeAws.SERVING_2 + " --no-should-decrement-desired-capacity"),
        mode("the schedule's role may not start the builder",
            f -> f.deny(FakeAws.SCHEDULE_ROLE, "autoscaling:SetDesiredCapacity"), "weekly reindex schedule",
            "runs as role " + FakeAws.SCHEDULE_ROLE + ", which may not call autoscaling:SetDesiredCapacity on "
                + FakeAws.BUILDER_GROUP, "aws iam put-role-policy --role-name " + FakeAws.SCHEDULE_ROLE
                + " --policy-name StartBuilder"),
        mode("a builder whose launch fails", f -> {
          f.builderDesired = 1;
          f.builderActivity = "Failed";
          f.builderActivityMessage = "We currently do not have sufficient c7i.xlarge capacity in the Availability "
              + "Zone you requested (eu-west-1a).";
        }, "builder group", "desired 1 but its last scaling activity Failed: We currently do not have sufficient "
            + "c7i.xlarge capacity", "aws autoscaling set-desired-capacity --auto-scaling-group-name "
            + FakeAws.BUILDER_GROUP + " --desired-capacity 0 && aws autoscaling set-desired-capacity "
            + "--auto-scaling-group-name " + FakeAws.BUILDER_GROUP + " --desired-capacity 1"),
        mode("two builders", f -> {
          f.builderDesired = 2;
          f.builderMax = 2;
          f.builderHosts.add(FakeAws.Host.inService(FakeAws.BUILDER_1, FakeAws.SUBNET_A));
          f.builderHosts.add(FakeAws.Host.inService(FakeAws.BUILDER_2, FakeAws.SUBNET_B));
        }, "builder group", "desired 2 (maximum 2): builds run one at a time, the pipeline's lock on the mount",
            "aws autoscaling update-auto-scaling-group --auto-scaling-group-name " + FakeAws.BUILDER_GROUP
                + " --max-size 1 --desired-capacity 1"),
        mode("schedule disabled", f -> f.scheduleState = "DISABLED", "weekly reindex schedule",
            FakeAws.SCHEDULE + " is DISABLED; the weekly reindex does not run",
            "aws scheduler update-schedule --name " + FakeAws.SCHEDULE + " --group-name default --state ENABLED "
                + "--schedule-expression 'cron(0 3 ? * SUN *)' --schedule-expression-timezone Etc/UTC "
                + "--flexible-time-window Mode=OFF --description 'docsearch weekly reindex: start the builder (it "
                + "scales itself back to 0 when done)' --target '{\"Arn\":\"" + FakeAws.START_BUILDER
                + "\",\"RoleArn\":\"arn:aws:iam::" + FakeAws.ACCOUNT + ":role/" + FakeAws.SCHEDULE_ROLE
                + "\",\"Input\":\"{\\\"AutoScalingGroupName\\\":\\\"" + FakeAws.BUILDER_GROUP
                + "\\\",\\\"DesiredCapacity\\\":1}\",\"RetryPolicy\":{\"MaximumEventAgeInSeconds\":86400,"
                + "\"MaximumRetryAttempts\":185}}'"),
        mode("schedule starting another group", f -> f.scheduleInputGroup = FakeAws.SERVING_GROUP,
            "weekly reindex schedule", "does not set the builder group " + FakeAws.BUILDER_GROUP
                + " to DesiredCapacity 1", "\"Input\":\"{\\\"AutoScalingGroupName\\\":\\\"" + FakeAws.BUILDER_GROUP),
        mode("schedule calling another API",
            f -> f.scheduleTargetArn = "arn:aws:scheduler:::aws-sdk:autoscaling:updateAutoScalingGroup",
            "weekly reindex schedule", "it targets arn:aws:scheduler:::aws-sdk:autoscaling:updateAutoScalingGroup, "
                + "not " + FakeAws.START_BUILDER, "--target '{\"Arn\":\"" + FakeAws.START_BUILDER),
        mode("a serving host lost to SSM", f -> f.pingStatus.put(serving3, "ConnectionLost"),
            "hosts managed by SSM", serving3 + " is ConnectionLost in SSM",
            "aws autoscaling terminate-instance-in-auto-scaling-group --instance-id " + serving3
                + " --no-should-decrement-desired-capacity"),
        mode("a serving host SSM never saw", f -> f.pingStatus.put(FakeAws.SERVING_1, ""), "hosts managed by SSM",
            FakeAws.SERVING_1 + " is not registered in SSM", "AmazonSSMManagedInstanceCore"),
        mode("a running builder lost to SSM", f -> {
          f.builderDesired = 1;
          f.builderHosts.add(FakeAws.Host.inService(FakeAws.BUILDER_1, FakeAws.SUBNET_A));
          f.pingStatus.put(FakeAws.BUILDER_1, "Inactive");
        }, "hosts managed by SSM", FakeAws.BUILDER_1 + " is Inactive in SSM", "--instance-id " + FakeAws.BUILDER_1));
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

    assertThat(results).extracting(CheckResult::check).containsExactlyElementsOf(CHECKS);
    Map<Boolean, List<String>> byOutcome = results.stream()
        .collect(Collectors.partitioningBy(CheckResult::passed, Collectors.mapping(CheckResult::check,
            Collectors.toList())));
    assertThat(byOutcome.get(false)).as("failed checks").containsExactly(check);
    CheckResult failed = results.stream().filter(r -> !r.passed()).findFirst().orElseThrow();
    assertThat(failed.detail()).contains(detail);
    assertThat(failed.fix()).contains(fix).doesNotContain("\n");
  }

  @Test
  void aFailedCheckExitsWithOneAndPrintsItsFix() {
    aws.versioning = "Suspended";

    Result r = doctor("--stack", FakeAws.STACK);

    assertThat(r.exitCode()).isEqualTo(DoctorCommand.EXIT_CHECK_FAILED);
    assertThat(r.out()).contains("  FAIL  bucket versioning: versioning is Suspended on " + FakeAws.BUCKET)
        .contains("        fix: aws s3api put-bucket-versioning --bucket " + FakeAws.BUCKET)
        .contains("doctor: 1 of 13 checks failed");
  }
}
