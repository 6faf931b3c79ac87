package dev.docsearch.infra.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.infra.DeploymentContract;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;

/**
 * Checks a deployed docsearch stack for the ways S3 Files deployments are known to fail, each with a one-line fix.
 *
 * <p>Read-only: it describes and simulates, it never changes anything. One check failing (or not being readable)
 * does not stop the others.
 */
public final class StackDoctor {

  private static final Logger LOG = LoggerFactory.getLogger(StackDoctor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AwsClients aws;

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
    results.add(guard("host role client policy", () -> hostRolePolicies(stack)));
    results.add(guard("file system status", () -> fileSystemStatus(stack)));
    results.add(guard("mount targets", () -> mountTargets(stack)));
    results.add(guard("weekly reindex rule", () -> weeklyRule(stack)));
    results.add(guard("host managed by SSM", () -> hostInSsm(stack)));
    long failed = results.stream().filter(r -> !r.passed()).count();
    LOG.info("doctor examined stack {}: {} checks, {} failed", stack.stackName(), results.size(), failed);
    return results;
  }

  private static CheckResult guard(String check, Supplier<CheckResult> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return CheckResult.fail(check, "could not be checked: " + e.getMessage(),
          "make sure your credentials may read this resource, then run doctor again");
    }
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
    JsonNode policy = readJson(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8));
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
    String roleArn = aws.iam().getRole(r -> r.roleName(stack.fileSystemRole())).role().arn();
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

  CheckResult hostRolePolicies(StackResources stack) {
    String check = "host role client policy";
    List<String> attached = aws.iam().listAttachedRolePoliciesPaginator(r -> r.roleName(stack.hostRole()))
        .attachedPolicies().stream().map(p -> p.policyName()).toList();
    List<String> missing = new ArrayList<>();
    for (String needed : List.of(DeploymentContract.S3FILES_CLIENT_POLICY, DeploymentContract.SSM_CORE_POLICY)) {
      if (!attached.contains(needed)) {
        missing.add(needed);
      }
    }
    if (missing.isEmpty()) {
      return CheckResult.pass(check, stack.hostRole() + " has " + DeploymentContract.S3FILES_CLIENT_POLICY + " and "
          + DeploymentContract.SSM_CORE_POLICY);
    }
    String why = missing.contains(DeploymentContract.S3FILES_CLIENT_POLICY)
        ? "without it the mount fails with \"access denied by server\"" : "without it SSM cannot reach the host";
    return CheckResult.fail(check, stack.hostRole() + " lacks " + missing + "; " + why,
        missing.stream().map(p -> "aws iam attach-role-policy --role-name " + stack.hostRole()
            + " --policy-arn arn:" + stack.partition() + ":iam::aws:policy/" + p).collect(Collectors.joining(" && ")));
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

  CheckResult mountTargets(StackResources stack) {
    String check = "mount targets";
    Instance host = aws.ec2().describeInstances(r -> r.instanceIds(stack.instanceId())).reservations().get(0)
        .instances().get(0);
    List<String> hostGroups = host.securityGroups().stream().map(g -> g.groupId()).toList();
    List<S3FilesApi.MountTarget> targets = aws.s3Files().listMountTargets(stack.fileSystemId());
    if (targets.isEmpty()) {
      return CheckResult.fail(check, stack.fileSystemId() + " has no mount target",
          "cdk deploy (the stack creates one mount target per host subnet)");
    }
    List<String> problems = new ArrayList<>();
    String fix = "";
    boolean inHostSubnet = false;
    for (S3FilesApi.MountTarget listed : targets) {
      S3FilesApi.MountTarget mt = aws.s3Files().getMountTarget(listed.mountTargetId());
      inHostSubnet |= mt.subnetId().equals(host.subnetId());
      if (!mt.status().equalsIgnoreCase("available")) {
        problems.add(mt.mountTargetId() + " is " + mt.status());
      }
      List<SecurityGroup> groups = mt.securityGroups().isEmpty() ? List.of()
          : aws.ec2().describeSecurityGroups(r -> r.groupIds(mt.securityGroups())).securityGroups();
      boolean nfsFromHost = groups.stream().flatMap(g -> g.ipPermissions().stream())
          .anyMatch(p -> admitsNfsFrom(p, hostGroups));
      if (!nfsFromHost) {
        problems.add(mt.mountTargetId() + " (" + String.join(",", mt.securityGroups())
            + ") does not admit NFS 2049 from the host's " + hostGroups);
        if (!mt.securityGroups().isEmpty() && !hostGroups.isEmpty()) {
          fix = "aws ec2 authorize-security-group-ingress --group-id " + mt.securityGroups().get(0)
              + " --protocol tcp --port " + DeploymentContract.NFS_PORT + " --source-group " + hostGroups.get(0);
        }
      }
    }
    if (!inHostSubnet) {
      problems.add("no mount target in the host's subnet " + host.subnetId());
    }
    if (problems.isEmpty()) {
      return CheckResult.pass(check, targets.size() + " available, NFS 2049 open from the host's security group");
    }
    return CheckResult.fail(check, String.join("; ", problems),
        fix.isEmpty() ? "wait for mount targets to become available, or cdk deploy to recreate them" : fix);
  }

  private static boolean admitsNfsFrom(IpPermission permission, List<String> hostGroups) {
    String protocol = permission.ipProtocol();
    boolean protocolOk = protocol.equals("-1") || protocol.equals("tcp") || protocol.equals("6");
    boolean portOk = protocol.equals("-1") || (permission.fromPort() != null && permission.toPort() != null
        && permission.fromPort() <= DeploymentContract.NFS_PORT && permission.toPort() >= DeploymentContract.NFS_PORT);
    boolean fromHost = permission.userIdGroupPairs().stream().anyMatch(p -> hostGroups.contains(p.groupId()));
    return protocolOk && portOk && fromHost;
  }

  CheckResult weeklyRule(StackResources stack) {
    String check = "weekly reindex rule";
    DescribeRuleResponse rule = aws.eventBridge().describeRule(r -> r.name(stack.ruleName()));
    if (rule.state() != RuleState.ENABLED) {
      return CheckResult.fail(check, stack.ruleName() + " is " + rule.stateAsString() + " (" +
          rule.scheduleExpression() + ")", "aws events enable-rule --name " + stack.ruleName());
    }
    List<Target> targets = aws.eventBridge().listTargetsByRule(r -> r.rule(stack.ruleName())).targets();
    boolean runsReindex = targets.stream().anyMatch(t -> t.arn().endsWith(":document/" + DeploymentContract.REINDEX_DOCUMENT)
        && t.runCommandParameters() != null
        && t.runCommandParameters().runCommandTargets().stream().anyMatch(rt -> rt.key().equals("InstanceIds")
            && rt.values().contains(stack.instanceId()))
        && t.input() != null && t.input().contains("/opt/docsearch/bin/reindex"));
    if (!runsReindex) {
      return CheckResult.fail(check, stack.ruleName() + " has no Run Command target running the reindex on "
          + stack.instanceId() + " (targets: " + targets.stream().map(Target::arn).toList() + ")",
          "cdk deploy (restores the rule's target)");
    }
    return CheckResult.pass(check, stack.ruleName() + " enabled, " + rule.scheduleExpression() + ", Run Command on "
        + stack.instanceId());
  }

  CheckResult hostInSsm(StackResources stack) {
    String check = "host managed by SSM";
    List<InstanceInformation> info = aws.ssm().describeInstanceInformation(r -> r.filters(f -> f
        .key("InstanceIds").values(stack.instanceId()))).instanceInformationList();
    String ping = info.isEmpty() ? "not registered" : info.get(0).pingStatusAsString();
    if ("Online".equals(ping)) {
      return CheckResult.pass(check, stack.instanceId() + " is Online (sessions and Run Command work)");
    }
    return CheckResult.fail(check, stack.instanceId() + " is " + ping + " in SSM; the weekly reindex and "
        + "sessions need it", "check the host is running, its role has " + DeploymentContract.SSM_CORE_POLICY
        + ", and it can reach the SSM endpoints (outbound HTTPS)");
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not JSON: " + text, e);
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
