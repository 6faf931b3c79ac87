package dev.docsearch.infra.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.docsearch.infra.DeploymentContract;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthReasonEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.RetryPolicy;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * Checks a deployed docsearch stack for the ways S3 Files deployments are known to fail, and the serving group, the
 * builder and the weekly schedule for how they run, each with a one-line fix.
 *
 * <p>Read-only: it describes and simulates, it never changes anything. One check failing (or not being readable)
 * does not stop the others. Each Auto Scaling group is described once per doctor, so that every check and the
 * header see the same state. Not thread-safe.
 */
public final class StackDoctor {

  private static final Logger LOG = LoggerFactory.getLogger(StackDoctor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ONLINE = "Online";

  private static final String SET_DESIRED_CAPACITY = "autoscaling:SetDesiredCapacity";
  /** What efs-utils' direct reads from S3 need: the objects, and listing the bucket. */
  private static final List<String> OBJECT_READS = List.of("s3:GetObject", "s3:GetObjectVersion");
  private static final List<String> BUCKET_READS = List.of("s3:ListBucket");
  private static final Set<TargetHealthStateEnum> EXPECTED_TARGET_STATES = Set.of(TargetHealthStateEnum.HEALTHY,
      TargetHealthStateEnum.INITIAL, TargetHealthStateEnum.DRAINING);
  private static final Set<ScalingActivityStatusCode> FAILED_ACTIVITIES = Set.of(ScalingActivityStatusCode.FAILED,
      ScalingActivityStatusCode.CANCELLED);

  private final AwsClients aws;
  private final Map<String, AutoScalingGroup> groups = new HashMap<>();

  public StackDoctor(AwsClients aws) {
    this.aws = Objects.requireNonNull(aws, "aws");
  }

  /** Runs every check on the stack's resources. */
  public List<CheckResult> examine(StackResources stack) {
    List<CheckResult> results = new ArrayList<>();
    results.add(guard("bucket versioning", () -> bucketVersioning(stack)));
    results.add(guard("bucket encryption", () -> bucketEncryption(stack)));
    results.add(guard("file system role trust", () -> fileSystemRoleTrust(stack)));
    results.add(guard("file system role permissions", () -> fileSystemRolePermissions(stack)));
    results.add(guard("file system status", () -> fileSystemStatus(stack)));
    results.add(guard("serving role", () -> hostRole(stack, "serving role", stack.servingRole())));
    results.add(guard("builder role", () -> hostRole(stack, "builder role", stack.builderRole())));
    results.add(guard("mount targets", () -> mountTargets(stack)));
    results.add(guard("serving group", () -> servingGroup(stack)));
    results.add(guard("load balancer targets", () -> loadBalancerTargets(stack)));
    results.add(guard("builder group", () -> builderGroup(stack)));
    results.add(guard("weekly reindex schedule", () -> weeklySchedule(stack)));
    results.add(guard("hosts managed by SSM", () -> hostsInSsm(stack)));
    long failed = results.stream().filter(r -> !r.passed()).count();
    LOG.info("doctor examined stack {}: {} checks, {} failed", stack.stackName(), results.size(), failed);
    return results;
  }

  /** "N of M healthy": the serving group's InService and Healthy hosts of its desired capacity, for a header. */
  public String servingHealth(StackResources stack) {
    try {
      AutoScalingGroup serving = group(stack.servingGroup());
      return healthyInService(serving).size() + " of " + serving.desiredCapacity() + " healthy";
    } catch (RuntimeException e) {
      return "health unreadable: " + e.getMessage();
    }
  }

  private static CheckResult guard(String check, Supplier<CheckResult> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return CheckResult.fail(check, "could not be checked: " + e.getMessage(), unreadableFix(e));
    }
  }

  /** A resource the stack names that AWS no longer has. */
  static final class ResourceGoneException extends IllegalStateException {
    ResourceGoneException(String message) {
      super(message);
    }
  }

  /** What to do about a check that could not be read, by what AWS answered. */
  static String unreadableFix(RuntimeException e) {
    int status = e instanceof AwsServiceException service ? service.statusCode()
        : e instanceof S3FilesApi.S3FilesApiException files ? files.statusCode()
        : e instanceof ResourceGoneException ? 404 : 0;
    if (status == 404) {
      return "the stack names a resource AWS no longer has (deleted outside CloudFormation?), and cdk deploy will not "
          + "notice: recreate it by hand, or deploy the stack anew";
    }
    if (status == 401 || status == 403) {
      return "your credentials may not make this call (the message names it): allow it, then run doctor again";
    }
    return "run doctor again; if it keeps failing, check your network and credentials";
  }

  CheckResult bucketVersioning(StackResources stack) {
    String check = "bucket versioning";
    BucketVersioningStatus status = aws.s3().getBucketVersioning(r -> r.bucket(stack.bucketName())).status();
    if (status == BucketVersioningStatus.ENABLED) {
      return CheckResult.pass(check, "Enabled on " + stack.bucketName());
    }
    return CheckResult.fail(check, "versioning is " + (status == null ? "off" : status) + " on "
        + stack.bucketName() + "; S3 Files requires it",
        "aws s3api put-bucket-versioning --bucket " + stack.bucketName()
            + " --versioning-configuration Status=Enabled");
  }

  CheckResult bucketEncryption(StackResources stack) {
    String check = "bucket encryption";
    List<ServerSideEncryptionRule> rules = aws.s3().getBucketEncryption(r -> r.bucket(stack.bucketName()))
        .serverSideEncryptionConfiguration().rules();
    List<String> algorithms = rules.stream()
        .map(r -> r.applyServerSideEncryptionByDefault() == null ? ""
            : r.applyServerSideEncryptionByDefault().sseAlgorithmAsString())
        .toList();
    if (algorithms.stream().anyMatch(a -> a.equals("AES256") || a.startsWith("aws:kms"))) {
      return CheckResult.pass(check, String.join(", ", algorithms) + " on " + stack.bucketName());
    }
    return CheckResult.fail(check, "no SSE-S3 or SSE-KMS default encryption on " + stack.bucketName()
        + " (found " + algorithms + "); S3 Files requires one",
        "aws s3api put-bucket-encryption --bucket " + stack.bucketName()
            + " --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":"
            + "{\"SSEAlgorithm\":\"AES256\"}}]}'");
  }

  CheckResult fileSystemRoleTrust(StackResources stack) {
    String check = "file system role trust";
    Role role = aws.iam().getRole(r -> r.roleName(stack.fileSystemRole())).role();
    JsonNode policy = json(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8));
    String fix = "let role " + stack.fileSystemRole() + " be assumed by " + DeploymentContract.S3FILES_SERVICE_PRINCIPAL
        + " with conditions aws:SourceAccount and aws:SourceArn (cdk deploy restores it)";
    List<String> principals = new ArrayList<>();
    boolean sourceAccount = false;
    boolean sourceArn = false;
    for (JsonNode st : iterable(policy.path("Statement"))) {
      if (!st.path("Effect").asText().equals("Allow")) {
        continue;
      }
      for (JsonNode service : iterable(st.at("/Principal/Service"))) {
        principals.add(service.asText());
        if (service.asText().equals(DeploymentContract.S3FILES_SERVICE_PRINCIPAL)) {
          String conditions = st.path("Condition").toString();
          sourceAccount |= conditions.contains("\"aws:SourceAccount\"");
          sourceArn |= conditions.contains("\"aws:SourceArn\"");
        }
      }
    }
    if (!principals.contains(DeploymentContract.S3FILES_SERVICE_PRINCIPAL)) {
      return CheckResult.fail(check, "role " + stack.fileSystemRole() + " trusts " + principals + ", not "
          + DeploymentContract.S3FILES_SERVICE_PRINCIPAL + " (S3 Files file systems act as that principal)", fix);
    }
    if (!sourceAccount || !sourceArn) {
      return CheckResult.fail(check, "the trust of " + stack.fileSystemRole() + " lacks the condition "
          + (!sourceAccount ? "aws:SourceAccount" : "aws:SourceArn") + " (confused deputy protection)", fix);
    }
    return CheckResult.pass(check, DeploymentContract.S3FILES_SERVICE_PRINCIPAL + " with aws:SourceAccount and "
        + "aws:SourceArn");
  }

  CheckResult fileSystemRolePermissions(StackResources stack) {
    String check = "file system role permissions";
    String roleArn = roleArn(stack.fileSystemRole());
    String probeRule = "arn:" + stack.partition() + ":events:" + stack.region() + ":" + stack.account() + ":rule/"
        + DeploymentContract.S3FILES_RULE_PREFIX + "-doctor-probe";
    List<String> eventActions = new ArrayList<>(DeploymentContract.S3FILES_RULE_ACTIONS);
    eventActions.add("events:ListRules");
    List<String> denied = new ArrayList<>();
    denied.addAll(deniedActions(roleArn, eventActions, probeRule));
    denied.addAll(deniedActions(roleArn, List.of("s3:ListBucket", "s3:ListBucketVersions"), stack.bucketArn()));
    denied.addAll(deniedActions(roleArn, List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
        "s3:AbortMultipartUpload"), stack.bucketArn() + "/doctor-probe"));
    if (denied.isEmpty()) {
      return CheckResult.pass(check, "bucket access and the EventBridge actions on "
          + DeploymentContract.S3FILES_RULE_PREFIX + "* rules are allowed");
    }
    return CheckResult.fail(check, "role " + stack.fileSystemRole() + " is denied " + denied
        + "; without the EventBridge actions the file system never leaves \"creating\"",
        "allow " + String.join(", ", denied) + " for role " + stack.fileSystemRole()
            + " (EventBridge actions on arn:...:rule/" + DeploymentContract.S3FILES_RULE_PREFIX
            + "*; cdk deploy restores them)");
  }

  private List<String> deniedActions(String roleArn, List<String> actions, String resource) {
    List<EvaluationResult> results = aws.iam().simulatePrincipalPolicy(r -> r.policySourceArn(roleArn)
        .actionNames(actions).resourceArns(resource)).evaluationResults();
    List<String> allowed = results.stream()
        .filter(e -> e.evalDecision() == PolicyEvaluationDecisionType.ALLOWED)
        .map(EvaluationResult::evalActionName)
        .toList();
    return actions.stream().filter(a -> !allowed.contains(a)).toList();
  }

  CheckResult fileSystemStatus(StackResources stack) {
    String check = "file system status";
    S3FilesApi.FileSystem fs = aws.s3Files().getFileSystem(stack.fileSystemId());
    if (!fs.bucketArn().equals(stack.bucketArn())) {
      return CheckResult.fail(check, fs.fileSystemId() + " presents " + fs.bucketArn() + ", not the stack's bucket "
          + stack.bucketArn(), "cdk deploy (the stack's file system must present its bucket)");
    }
    if (fs.status().equalsIgnoreCase("available")) {
      return CheckResult.pass(check, fs.fileSystemId() + " is available");
    }
    String message = fs.statusMessage().isEmpty() ? "" : " (" + fs.statusMessage() + ")";
    String fix = fs.status().toLowerCase(Locale.ROOT).equals("creating")
        ? "a file system stuck in creating almost always lacks its role's EventBridge permissions: see "
            + "\"file system role permissions\" above, then delete and recreate it (cdk deploy)"
        : "see the status message; recreate the file system with cdk deploy if it is in error";
    return CheckResult.fail(check, fs.fileSystemId() + " is " + fs.status() + message, fix);
  }

  CheckResult hostRole(StackResources stack, String check, String roleName) {
    List<String> attached = aws.iam().listAttachedRolePoliciesPaginator(r -> r.roleName(roleName))
        .attachedPolicies().stream().map(p -> p.policyName()).toList();
    List<String> missing = Stream.of(DeploymentContract.S3FILES_CLIENT_POLICY, DeploymentContract.SSM_CORE_POLICY)
        .filter(Predicate.not(attached::contains)).toList();
    String roleArn = roleArn(roleName);
    List<String> denied = new ArrayList<>();
    denied.addAll(deniedActions(roleArn, OBJECT_READS, stack.bucketArn() + "/doctor-probe"));
    denied.addAll(deniedActions(roleArn, BUCKET_READS, stack.bucketArn()));
    if (missing.isEmpty() && denied.isEmpty()) {
      return CheckResult.pass(check, roleName + " has " + DeploymentContract.S3FILES_CLIENT_POLICY + " and "
          + DeploymentContract.SSM_CORE_POLICY + " and may read the bucket directly");
    }
    List<String> problems = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add(roleName + " lacks " + missing + "; " + (missing.contains(DeploymentContract.S3FILES_CLIENT_POLICY)
          ? "without it the mount fails with \"access denied by server\"" : "without it SSM cannot reach the host"));
      missing.forEach(p -> fixes.add("aws iam attach-role-policy --role-name " + roleName
          + " --policy-arn arn:" + stack.partition() + ":iam::aws:policy/" + p));
    }
    if (!denied.isEmpty()) {
      problems.add(roleName + " is denied " + denied + " on the bucket; without them efs-utils turns S3 Files' direct "
          + "reads off and every read goes through NFS");
      Map<String, List<String>> directReads = new LinkedHashMap<>();
      directReads.put(stack.bucketArn() + "/*", OBJECT_READS);
      directReads.put(stack.bucketArn(), BUCKET_READS);
      fixes.add(putRolePolicy(roleName, "S3FilesDirectReads", directReads));
    }
    return CheckResult.fail(check, String.join("; ", problems), String.join(" && ", fixes));
  }

  CheckResult mountTargets(StackResources stack) {
    String check = "mount targets";
    // Both groups mount: the serving hosts read releases, the builder writes them.
    Set<String> hostSubnets = new LinkedHashSet<>(subnets(group(stack.servingGroup())));
    hostSubnets.addAll(subnets(group(stack.builderGroup())));
    List<S3FilesApi.MountTarget> targets = aws.s3Files().listMountTargets(stack.fileSystemId()).stream()
        .map(listed -> aws.s3Files().getMountTarget(listed.mountTargetId()))
        .toList();
    Set<String> allSubnets = new LinkedHashSet<>(hostSubnets);
    targets.forEach(mt -> allSubnets.add(mt.subnetId()));
    Map<String, String> zoneOf = aws.ec2().describeSubnetsPaginator(r -> r.subnetIds(allSubnets)).subnets().stream()
        .collect(Collectors.toMap(Subnet::subnetId, Subnet::availabilityZone, (a, b) -> a));
    Set<String> securityGroupIds = targets.stream().flatMap(mt -> mt.securityGroups().stream())
        .collect(Collectors.toCollection(LinkedHashSet::new));
    Map<String, SecurityGroup> securityGroups = securityGroupIds.isEmpty() ? Map.of()
        : aws.ec2().describeSecurityGroupsPaginator(r -> r.groupIds(securityGroupIds)).securityGroups().stream()
            .collect(Collectors.toMap(SecurityGroup::groupId, g -> g, (a, b) -> a));
    List<Map.Entry<String, String>> hostGroups = List.of(Map.entry("serving hosts'", stack.servingSecurityGroup()),
        Map.entry("builder's", stack.builderSecurityGroup()));

    List<String> problems = new ArrayList<>();
    Set<String> fixes = new LinkedHashSet<>();
    for (S3FilesApi.MountTarget mt : targets) {
      if (!available(mt)) {
        problems.add(mt.mountTargetId() + " is " + mt.status());
        fixes.add("wait for the mount targets to become available");
      }
      for (Map.Entry<String, String> hosts : hostGroups) {
        boolean admitted = mt.securityGroups().stream().map(securityGroups::get).filter(Objects::nonNull)
            .flatMap(g -> g.ipPermissions().stream())
            .anyMatch(p -> admitsNfsFrom(p, hosts.getValue()));
        if (!admitted) {
          problems.add(mt.mountTargetId() + " (" + String.join(",", mt.securityGroups()) + ") does not admit NFS "
              + DeploymentContract.NFS_PORT + " from the " + hosts.getKey() + " " + hosts.getValue());
          fixes.add(mt.securityGroups().isEmpty() ? "cdk deploy (the mount targets lost their security group)"
              : "aws ec2 authorize-security-group-ingress --group-id " + mt.securityGroups().get(0)
                  + " --protocol tcp --port " + DeploymentContract.NFS_PORT + " --source-group " + hosts.getValue());
        }
      }
    }
    for (String subnet : hostSubnets) {
      String zone = zoneOf.getOrDefault(subnet, "an unknown zone");
      List<S3FilesApi.MountTarget> inZone = targets.stream()
          .filter(mt -> zone.equals(zoneOf.get(mt.subnetId()))).toList();
      if (inZone.stream().noneMatch(StackDoctor::available)) {
        problems.add("no available mount target in " + zone + ", where the hosts' subnet " + subnet + " is");
        // S3 Files allows one mount target per Availability Zone: a missing one is created, one there waited for.
        fixes.add(inZone.isEmpty() ? "aws s3files create-mount-target --file-system-id " + stack.fileSystemId()
            + " --subnet-id " + subnet + " --security-groups " + stack.mountTargetSecurityGroup()
            : "wait for the mount targets to become available");
      }
    }
    if (problems.isEmpty()) {
      List<String> zones = hostSubnets.stream().map(zoneOf::get).distinct().sorted().toList();
      return CheckResult.pass(check, targets.size() + " available, covering the hosts' zones " + zones
          + "; NFS " + DeploymentContract.NFS_PORT + " open from the serving and builder security groups");
    }
    return CheckResult.fail(check, String.join("; ", problems), String.join("; ", fixes));
  }

  private static boolean available(S3FilesApi.MountTarget mt) {
    return mt.status().equalsIgnoreCase("available");
  }

  private static boolean admitsNfsFrom(IpPermission permission, String hostGroup) {
    String protocol = permission.ipProtocol();
    boolean protocolOk = protocol.equals("-1") || protocol.equals("tcp") || protocol.equals("6");
    boolean portOk = protocol.equals("-1") || (permission.fromPort() != null && permission.toPort() != null
        && permission.fromPort() <= DeploymentContract.NFS_PORT && permission.toPort() >= DeploymentContract.NFS_PORT);
    boolean fromHost = permission.userIdGroupPairs().stream().anyMatch(p -> hostGroup.equals(p.groupId()));
    return protocolOk && portOk && fromHost;
  }

  CheckResult servingGroup(StackResources stack) {
    String check = "serving group";
    AutoScalingGroup serving = group(stack.servingGroup());
    List<String> healthy = healthyInService(serving);
    if (healthy.size() == serving.desiredCapacity()) {
      return CheckResult.pass(check, healthy.size() + " of " + serving.desiredCapacity() + " InService and Healthy");
    }
    List<String> others = serving.instances().stream().filter(i -> !healthy.contains(i.instanceId()))
        .map(i -> i.instanceId() + " " + i.lifecycleStateAsString() + "/" + i.healthStatus()).toList();
    return CheckResult.fail(check, healthy.size() + " of the desired " + serving.desiredCapacity()
        + " hosts are InService and Healthy" + (others.isEmpty() ? "" : " (" + String.join(", ", others) + ")"),
        "aws autoscaling describe-scaling-activities --auto-scaling-group-name " + stack.servingGroup()
            + " --max-items 5 says why hosts do not launch or stay healthy; their bootstrap logs are in "
            + stack.logGroup());
  }

  CheckResult loadBalancerTargets(StackResources stack) {
    String check = "load balancer targets";
    List<TargetHealthDescription> targets = aws.loadBalancing()
        .describeTargetHealth(r -> r.targetGroupArn(stack.targetGroupArn())).targetHealthDescriptions();
    if (targets.isEmpty()) {
      return CheckResult.fail(check, "no host is registered in the target group " + stack.targetGroupArn(),
          "if \"serving group\" has hosts in service, the group lost its target group: aws autoscaling "
              + "attach-load-balancer-target-groups --auto-scaling-group-name " + stack.servingGroup()
              + " --target-group-arns " + stack.targetGroupArn());
    }
    // Registering and draining targets are a rolling update's normal states, not failures.
    List<TargetHealthDescription> unhealthy = targets.stream().filter(t -> !EXPECTED_TARGET_STATES
        .contains(t.targetHealth().state())).toList();
    long changing = targets.stream().filter(t -> t.targetHealth().state() != TargetHealthStateEnum.HEALTHY).count()
        - unhealthy.size();
    String inTransit = changing == 0 ? "" : " (" + changing + " registering or draining)";
    if (unhealthy.isEmpty()) {
      return CheckResult.pass(check, (targets.size() - changing) + " of " + targets.size() + " targets healthy on "
          + "/health" + inTransit);
    }
    String detail = unhealthy.stream().map(t -> t.target().id() + " is " + t.targetHealth().stateAsString() + " ("
        + t.targetHealth().reasonAsString() + ": " + t.targetHealth().description() + ")")
        .collect(Collectors.joining("; "));
    boolean errorAnswers = unhealthy.stream()
        .allMatch(t -> t.targetHealth().reason() == TargetHealthReasonEnum.TARGET_RESPONSE_CODE_MISMATCH);
    if (errorAnswers && group(stack.builderGroup()).desiredCapacity() > 0) {
      // A host with no release answers /health with 503; on a first deploy that lasts until the builder publishes.
      return CheckResult.pass(check, detail + ": a host answers 503 until there is a release to serve, and the "
          + "builder is building one; if this is not the first deploy, run doctor again once the build is done");
    }
    String first = unhealthy.get(0).target().id();
    return CheckResult.fail(check, detail + "; the load balancer sends it no searches", "see why on the host "
        + "(aws ssm start-session --target " + first + ", then journalctl -u docsearch -n 100), or replace just it: "
        + "aws autoscaling terminate-instance-in-auto-scaling-group --instance-id " + first
        + " --no-should-decrement-desired-capacity");
  }

  CheckResult builderGroup(StackResources stack) {
    String check = "builder group";
    AutoScalingGroup builder = group(stack.builderGroup());
    int desired = builder.desiredCapacity();
    if (desired == 0) {
      return CheckResult.pass(check, "at rest (desired 0); the weekly schedule starts it");
    }
    List<String> running = inService(builder);
    if (desired == 1) {
      // Desired 1 with a launch that keeps failing (capacity, a broken launch template) would otherwise pass forever.
      List<Activity> last = aws.autoScaling().describeScalingActivities(r -> r.autoScalingGroupName(
          stack.builderGroup()).maxRecords(1)).activities();
      if (!last.isEmpty() && FAILED_ACTIVITIES.contains(last.get(0).statusCode())) {
        return CheckResult.fail(check, "desired 1 but its last scaling activity " + last.get(0).statusCodeAsString()
            + ": " + last.get(0).statusMessage(), "fix what the message says, then start the build again: aws "
            + "autoscaling set-desired-capacity --auto-scaling-group-name " + stack.builderGroup()
            + " --desired-capacity 0 && aws autoscaling set-desired-capacity --auto-scaling-group-name "
            + stack.builderGroup() + " --desired-capacity 1");
      }
      return CheckResult.pass(check, running.isEmpty() ? "starting a build (desired 1, no host in service yet)"
          : "building now on " + String.join(", ", running) + " (it scales itself back to 0)");
    }
    return CheckResult.fail(check, "desired " + desired + " (maximum " + builder.maxSize() + "): builds run one at a "
        + "time, the pipeline's lock on the mount turns the others away", "aws autoscaling update-auto-scaling-group "
        + "--auto-scaling-group-name " + stack.builderGroup() + " --max-size 1 --desired-capacity 1");
  }

  CheckResult weeklySchedule(StackResources stack) {
    String check = "weekly reindex schedule";
    GetScheduleResponse schedule = aws.scheduler().getSchedule(r -> r.name(stack.scheduleName())
        .groupName(stack.scheduleGroup()));
    String startBuilder = "arn:" + stack.partition() + ":scheduler:::" + DeploymentContract.SET_DESIRED_CAPACITY_TARGET;
    List<String> problems = new ArrayList<>();
    if (schedule.state() != ScheduleState.ENABLED) {
      problems.add(stack.scheduleName() + " is " + schedule.stateAsString());
    }
    if (!startBuilder.equals(schedule.target().arn())) {
      problems.add("it targets " + schedule.target().arn() + ", not " + startBuilder);
    }
    JsonNode input = json(schedule.target().input());
    if (!stack.builderGroup().equals(input.path("AutoScalingGroupName").asText())
        || input.path("DesiredCapacity").asInt(-1) != 1) {
      problems.add("its input " + schedule.target().input() + " does not set the builder group "
          + stack.builderGroup() + " to DesiredCapacity 1");
    }
    if (!problems.isEmpty()) {
      return CheckResult.fail(check, String.join("; ", problems) + "; the weekly reindex does not run",
          updateSchedule(stack, schedule, startBuilder));
    }
    // A schedule that fires with a role that may not start the builder fails only in the scheduler's own metrics.
    String roleArn = schedule.target().roleArn();
    String builderArn = group(stack.builderGroup()).autoScalingGroupARN();
    if (roleArn == null || !deniedActions(roleArn, List.of(SET_DESIRED_CAPACITY), builderArn).isEmpty()) {
      String role = roleArn == null ? "(none)" : roleArn.substring(roleArn.lastIndexOf('/') + 1);
      return CheckResult.fail(check, stack.scheduleName() + " runs as role " + role + ", which may not call "
          + SET_DESIRED_CAPACITY + " on " + stack.builderGroup() + "; the schedule fires and starts nothing",
          putRolePolicy(role, "StartBuilder", Map.of(builderArn, List.of(SET_DESIRED_CAPACITY))));
    }
    return CheckResult.pass(check, stack.scheduleName() + " enabled, " + schedule.scheduleExpression() + " "
        + Objects.requireNonNullElse(schedule.scheduleExpressionTimezone(), "UTC") + ", starts "
        + stack.builderGroup() + " (its role may)");
  }

  /**
   * The {@code aws scheduler update-schedule} that makes the schedule start the builder again. UpdateSchedule
   * replaces the whole schedule, so the command repeats what stays (expression, window, role, retries); cdk deploy
   * would not do it, since CloudFormation does not see a change made outside it.
   */
  private static String updateSchedule(StackResources stack, GetScheduleResponse schedule, String startBuilder) {
    ObjectNode target = JSON.createObjectNode()
        .put("Arn", startBuilder)
        .put("RoleArn", schedule.target().roleArn())
        .put("Input", JSON.createObjectNode().put("AutoScalingGroupName", stack.builderGroup())
            .put("DesiredCapacity", 1).toString());
    RetryPolicy retry = schedule.target().retryPolicy();
    if (retry != null) {
      // A field AWS left out stays out: the CLI refuses a JSON null.
      ObjectNode retries = target.putObject("RetryPolicy");
      if (retry.maximumEventAgeInSeconds() != null) {
        retries.put("MaximumEventAgeInSeconds", retry.maximumEventAgeInSeconds());
      }
      if (retry.maximumRetryAttempts() != null) {
        retries.put("MaximumRetryAttempts", retry.maximumRetryAttempts());
      }
    }
    StringBuilder command = new StringBuilder("aws scheduler update-schedule --name ").append(stack.scheduleName())
        .append(" --group-name ").append(stack.scheduleGroup())
        .append(" --state ENABLED --schedule-expression ").append(shellQuoted(schedule.scheduleExpression()));
    if (schedule.scheduleExpressionTimezone() != null) {
      command.append(" --schedule-expression-timezone ").append(schedule.scheduleExpressionTimezone());
    }
    command.append(" --flexible-time-window Mode=").append(schedule.flexibleTimeWindow().modeAsString());
    if (schedule.flexibleTimeWindow().maximumWindowInMinutes() != null) {
      command.append(",MaximumWindowInMinutes=").append(schedule.flexibleTimeWindow().maximumWindowInMinutes());
    }
    if (schedule.description() != null && !schedule.description().isEmpty()) {
      command.append(" --description ").append(shellQuoted(schedule.description()));
    }
    return command.append(" --target ").append(shellQuoted(target.toString())).toString();
  }

  CheckResult hostsInSsm(StackResources stack) {
    String check = "hosts managed by SSM";
    List<String> hosts = new ArrayList<>(inService(group(stack.servingGroup())));
    hosts.addAll(inService(group(stack.builderGroup())));
    if (hosts.isEmpty()) {
      return CheckResult.pass(check, "no host in service to ask about (see \"serving group\")");
    }
    Map<String, String> ping = aws.ssm().describeInstanceInformationPaginator(r -> r.filters(f -> f
            .key("InstanceIds").values(hosts))).instanceInformationList().stream()
        .collect(Collectors.toMap(InstanceInformation::instanceId, InstanceInformation::pingStatusAsString,
            (a, b) -> a));
    List<String> offline = hosts.stream().filter(h -> !ONLINE.equals(ping.get(h))).toList();
    if (offline.isEmpty()) {
      return CheckResult.pass(check, "all " + hosts.size() + " hosts in service are Online (sessions work)");
    }
    return CheckResult.fail(check, offline.stream().map(h -> h + " is " + ping.getOrDefault(h, "not registered"))
            .collect(Collectors.joining(", ")) + " in SSM; sessions and port forwarding need it",
        "a host that has just booted registers within a few minutes: run doctor again; if it stays, check it runs, "
            + "its role has " + DeploymentContract.SSM_CORE_POLICY + " and it reaches the SSM endpoints (outbound "
            + "HTTPS), else replace it: aws autoscaling terminate-instance-in-auto-scaling-group "
            + "--instance-id " + offline.get(0) + " --no-should-decrement-desired-capacity");
  }

  /** The group by name, described once per doctor. */
  private AutoScalingGroup group(String name) {
    return groups.computeIfAbsent(name, n -> aws.autoScaling()
        .describeAutoScalingGroupsPaginator(r -> r.autoScalingGroupNames(n)).autoScalingGroups().stream()
        .findFirst()
        .orElseThrow(() -> new ResourceGoneException("no Auto Scaling group " + n
            + " (deleted outside CloudFormation?)")));
  }

  private static List<String> subnets(AutoScalingGroup group) {
    return Arrays.stream(Objects.requireNonNullElse(group.vpcZoneIdentifier(), "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static List<String> inService(AutoScalingGroup group) {
    return instances(group, i -> i.lifecycleState() == LifecycleState.IN_SERVICE);
  }

  private static List<String> healthyInService(AutoScalingGroup group) {
    return instances(group, i -> i.lifecycleState() == LifecycleState.IN_SERVICE
        && "Healthy".equalsIgnoreCase(i.healthStatus()));
  }

  private static List<String> instances(AutoScalingGroup group, Predicate<Instance> which) {
    return group.instances().stream().filter(which).map(Instance::instanceId).toList();
  }

  private String roleArn(String roleName) {
    return aws.iam().getRole(r -> r.roleName(roleName)).role().arn();
  }

  /** Single-quoted for a POSIX shell. */
  /** The {@code aws iam put-role-policy} that allows each resource's actions, in the order given. */
  private static String putRolePolicy(String roleName, String policyName, Map<String, List<String>> actionsByResource) {
    ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
    ArrayNode statements = policy.putArray("Statement");
    actionsByResource.forEach((resource, actions) -> {
      ObjectNode statement = statements.addObject().put("Effect", "Allow");
      actions.forEach(statement.putArray("Action")::add);
      statement.put("Resource", resource);
    });
    return "aws iam put-role-policy --role-name " + roleName + " --policy-name " + policyName
        + " --policy-document " + shellQuoted(policy.toString());
  }

  private static String shellQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** The JSON in {@code text}, or a missing node when there is none, so that a check reads it as absent. */
  private static JsonNode json(String text) {
    if (text == null) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return JSON.missingNode();
    }
  }

  /** An array as is, a single value as a one-element list, a missing node as nothing. */
  private static Iterable<JsonNode> iterable(JsonNode node) {
    if (node.isArray()) {
      return node;
    }
    return node.isMissingNode() || node.isNull() ? List.of() : List.of(node);
  }
}
