package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template of the standard deployment (defaults plus an allowed CIDR) meets each requirement of the
 * infrastructure: one test per requirement, each reading the resource it is about.
 */
class DocsearchStackTest {

  private static SynthesizedStack synth;

  @BeforeAll
  static void synthesize() {
    synth = SynthesizedStack.standard();
  }

  // ---- artifact storage ------------------------------------------------------------------------------------

  @Test
  void theFileSystemsBucketIsVersionedBecauseS3FilesRequiresIt() {
    JsonNode bucket = artifactBucket();
    assertThat(bucket.at("/Properties/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
  }

  @Test
  void theBucketIsEncryptedWithSseS3ByDefault() {
    JsonNode sse = artifactBucket().at("/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0");
    assertThat(sse.at("/ServerSideEncryptionByDefault/SSEAlgorithm").asText()).isEqualTo("AES256");
  }

  @Test
  void theBucketBlocksAllPublicAccess() {
    JsonNode block = artifactBucket().at("/Properties/PublicAccessBlockConfiguration");
    for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
      assertThat(block.path(flag).asBoolean()).as(flag).isTrue();
    }
  }

  @Test
  void theBucketRefusesRequestsWithoutTls() {
    String bucketId = artifactBucketId();
    boolean denied = false;
    for (JsonNode policy : synth.resources("AWS::S3::BucketPolicy").values()) {
      if (!bucketId.equals(policy.at("/Properties/Bucket/Ref").asText())) {
        continue;
      }
      for (JsonNode st : policy.at("/Properties/PolicyDocument/Statement")) {
        denied |= st.path("Effect").asText().equals("Deny")
            && st.at("/Condition/Bool/aws:SecureTransport").asText().equals("false");
      }
    }
    assertThat(denied).as("a Deny statement on aws:SecureTransport=false for " + bucketId).isTrue();
  }

  @Test
  void theBucketLogsAccessToTheLogBucket() {
    JsonNode logging = artifactBucket().at("/Properties/LoggingConfiguration");
    String target = logging.at("/DestinationBucketName/Ref").asText();
    assertThat(target).isNotEmpty().isNotEqualTo(artifactBucketId());
    assertThat(synth.json.at("/Resources/" + target + "/Type").asText()).isEqualTo("AWS::S3::Bucket");
  }

  @Test
  void nonCurrentVersionsExpireSoWeeklyReleasesDoNotPileUp() {
    JsonNode rules = artifactBucket().at("/Properties/LifecycleConfiguration/Rules");
    List<Integer> days = new ArrayList<>();
    rules.forEach(r -> {
      if (r.path("Status").asText().equals("Enabled") && r.has("NoncurrentVersionExpiration")) {
        days.add(r.at("/NoncurrentVersionExpiration/NoncurrentDays").asInt());
      }
    });
    assertThat(days).containsExactly(30);
  }

  @Test
  void theBucketIsRetainedWhenTheStackIsDeleted() {
    JsonNode bucket = artifactBucket();
    assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
    assertThat(bucket.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
  }

  // ---- S3 Files ---------------------------------------------------------------------------------------------

  @Test
  void theFileSystemPresentsTheArtifactBucketThroughItsRole() {
    JsonNode fs = synth.only("AWS::S3Files::FileSystem");
    assertThat(fs.at("/Properties/Bucket/Fn::GetAtt/0").asText()).isEqualTo(artifactBucketId());
    assertThat(fs.at("/Properties/Bucket/Fn::GetAtt/1").asText()).isEqualTo("Arn");
    assertThat(fs.at("/Properties/RoleArn/Fn::GetAtt/0").asText()).isEqualTo(fileSystemRoleId());
  }

  @Test
  void theFileSystemRoleTrustsOnlyElasticFileSystemForThisAccountsFileSystems() {
    JsonNode statements = synth.json.at("/Resources/" + fileSystemRoleId()
        + "/Properties/AssumeRolePolicyDocument/Statement");
    assertThat(statements).hasSize(1);
    JsonNode st = statements.get(0);
    assertThat(st.path("Action").asText()).isEqualTo("sts:AssumeRole");
    assertThat(st.path("Principal").toString()).isEqualTo("{\"Service\":\"elasticfilesystem.amazonaws.com\"}");
    assertThat(st.at("/Condition/StringEquals/aws:SourceAccount/Ref").asText()).isEqualTo("AWS::AccountId");
    String sourceArn = TemplateText.flatten(st.at("/Condition/ArnLike/aws:SourceArn"));
    assertThat(sourceArn).isEqualTo("arn:{AWS::Partition}:s3files:{AWS::Region}:{AWS::AccountId}:file-system/*");
  }

  @Test
  void theFileSystemRoleMayUseItsBucketOnly() {
    List<JsonNode> statements = statementsOf(fileSystemPolicy());
    JsonNode listing = statementWithAction(statements, "s3:ListBucketVersions");
    assertThat(actions(listing)).containsExactlyInAnyOrder("s3:ListBucket", "s3:ListBucketVersions");
    assertThat(listing.at("/Resource/Fn::GetAtt/0").asText()).isEqualTo(artifactBucketId());
    JsonNode objects = statementWithAction(statements, "s3:PutObject*");
    assertThat(actions(objects)).contains("s3:AbortMultipartUpload", "s3:DeleteObject*", "s3:GetObject*",
        "s3:List*", "s3:PutObject*");
    assertThat(TemplateText.flatten(objects.path("Resource"))).isEqualTo("{" + artifactBucketId() + ".Arn}/*");
  }

  @Test
  void theFileSystemRoleMayChangeOnlyTheEventRulesS3FilesCreates() {
    List<JsonNode> statements = statementsOf(fileSystemPolicy());
    List<String> mutating = List.of("events:PutRule", "events:DeleteRule", "events:EnableRule",
        "events:DisableRule", "events:PutTargets", "events:RemoveTargets");
    for (String action : mutating) {
      JsonNode st = statementWithAction(statements, action);
      assertThat(TemplateText.resources(st)).as(action)
          .containsExactly("arn:{AWS::Partition}:events:{AWS::Region}:{AWS::AccountId}:rule/DO-NOT-DELETE-S3-Files*");
    }
    for (String action : List.of("events:DescribeRule", "events:ListTargetsByRule", "events:ListRules")) {
      statementWithAction(statements, action);
    }
    for (JsonNode st : statements) {
      if (TemplateText.resources(st).contains("*")) {
        assertThat(actions(st)).as("actions allowed on every resource").containsExactly("events:ListRules");
      }
    }
  }

  @Test
  void theFileSystemIsCreatedOnlyAfterTheRolePolicyExists() {
    JsonNode fs = synth.only("AWS::S3Files::FileSystem");
    List<String> dependsOn = new ArrayList<>();
    fs.path("DependsOn").forEach(d -> dependsOn.add(d.asText()));
    assertThat(dependsOn).contains(fileSystemPolicyId());
  }

  @Test
  void everyHostSubnetHasAMountTargetBehindTheMountTargetSecurityGroup() {
    Map<String, JsonNode> mountTargets = synth.resources("AWS::S3Files::MountTarget");
    Map<String, JsonNode> subnets = synth.resources("AWS::EC2::Subnet");
    assertThat(mountTargets).hasSize(subnets.size()).hasSizeGreaterThanOrEqualTo(2);
    List<String> mounted = new ArrayList<>();
    for (JsonNode mt : mountTargets.values()) {
      mounted.add(mt.at("/Properties/SubnetId/Ref").asText());
      assertThat(mt.at("/Properties/FileSystemId/Fn::GetAtt/1").asText()).isEqualTo("FileSystemId");
      assertThat(mt.at("/Properties/SecurityGroups")).hasSize(1);
      assertThat(mt.at("/Properties/SecurityGroups/0/Fn::GetAtt/0").asText()).isEqualTo(mountTargetSgId());
    }
    assertThat(mounted).containsExactlyInAnyOrderElementsOf(subnets.keySet());
  }

  @Test
  void mountTargetsAdmitNfsOnlyFromTheHostSecurityGroup() {
    List<JsonNode> ingress = ingressOf(mountTargetSgId());
    assertThat(ingress).hasSize(1);
    JsonNode rule = ingress.get(0);
    assertThat(rule.path("IpProtocol").asText()).isEqualTo("tcp");
    assertThat(rule.path("FromPort").asInt()).isEqualTo(2049);
    assertThat(rule.path("ToPort").asInt()).isEqualTo(2049);
    assertThat(rule.at("/SourceSecurityGroupId/Fn::GetAtt/0").asText()).isEqualTo(hostSgId());
    assertThat(rule.has("CidrIp")).isFalse();
  }

  // ---- search host ------------------------------------------------------------------------------------------

  @Test
  void theHostIsAT3Medium() {
    assertThat(instance().at("/Properties/InstanceType").asText()).isEqualTo("t3.medium");
  }

  @Test
  void theHostRequiresImdsV2() {
    String templateId = instance().at("/Properties/LaunchTemplate/Version/Fn::GetAtt/0").asText();
    JsonNode template = synth.json.at("/Resources/" + templateId);
    assertThat(template.path("Type").asText()).isEqualTo("AWS::EC2::LaunchTemplate");
    assertThat(template.at("/Properties/LaunchTemplateData/MetadataOptions/HttpTokens").asText())
        .isEqualTo("required");
  }

  @Test
  void theHostHasNoKeyPairAndNoSshPort() {
    assertThat(instance().at("/Properties/KeyName").isMissingNode()).isTrue();
    assertThat(synth.resources("AWS::EC2::KeyPair")).isEmpty();
    for (String sg : synth.resources("AWS::EC2::SecurityGroup").keySet()) {
      for (JsonNode rule : ingressOf(sg)) {
        int from = rule.path("FromPort").asInt(-1);
        int to = rule.path("ToPort").asInt(-1);
        assertThat(22 >= from && 22 <= to).as("port 22 open in " + sg + ": " + rule).isFalse();
      }
    }
  }

  @Test
  void theServicePortIsOpenOnlyToTheAllowedCidr() {
    List<JsonNode> ingress = ingressOf(hostSgId());
    assertThat(ingress).hasSize(1);
    assertThat(ingress.get(0).path("CidrIp").asText()).isEqualTo("203.0.113.0/24");
    assertThat(ingress.get(0).path("FromPort").asInt()).isEqualTo(8080);
    assertThat(ingress.get(0).path("ToPort").asInt()).isEqualTo(8080);
  }

  @Test
  void theHostRunsUbuntu2404FromThePublicSsmParameter() {
    String parameter = instance().at("/Properties/ImageId/Ref").asText();
    JsonNode p = synth.json.at("/Parameters/" + parameter);
    assertThat(p.path("Type").asText()).isEqualTo("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
    assertThat(p.path("Default").asText())
        .isEqualTo("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id");
  }

  @Test
  void theRootVolumeIsEncryptedGp3() {
    JsonNode ebs = instance().at("/Properties/BlockDeviceMappings/0/Ebs");
    assertThat(ebs.path("Encrypted").asBoolean()).isTrue();
    assertThat(ebs.path("VolumeType").asText()).isEqualTo("gp3");
  }

  @Test
  void theHostRoleHasTheS3FilesClientAndSsmPoliciesAndNothingBroad() {
    JsonNode role = synth.json.at("/Resources/" + hostRoleId());
    List<String> managed = new ArrayList<>();
    role.at("/Properties/ManagedPolicyArns").forEach(arn -> managed.add(TemplateText.flatten(arn)));
    assertThat(managed).containsExactlyInAnyOrder(
        "arn:{AWS::Partition}:iam::aws:policy/AmazonS3FilesClientFullAccess",
        "arn:{AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore");
    for (JsonNode policy : policiesOfRole(hostRoleId())) {
      for (JsonNode st : statementsOf(policy)) {
        assertThat(TemplateText.resources(st)).as("statement " + st).doesNotContain("*");
        assertThat(actions(st)).as("statement " + st).noneMatch(a -> a.endsWith(":*") || a.equals("*"));
      }
    }
  }

  @Test
  void theHostMountsTheFileSystemFromItsUserData() {
    String userData = TemplateText.flatten(instance().at("/Properties/UserData/Fn::Base64"));
    assertThat(userData).contains("FS_ID='{" + fileSystemId() + ".FileSystemId}'");
    assertThat(userData).contains("mount -t s3files \"$FS_ID:/\" \"$MOUNT_DIR\"");
    assertThat(userData).doesNotContain("{{");
    assertThat(userData.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThan(HostBootstrapScript.USER_DATA_LIMIT_BYTES - 1024);
  }

  @Test
  void theHostIsCreatedAfterItsMountTargets() {
    List<String> dependsOn = new ArrayList<>();
    instance().path("DependsOn").forEach(d -> dependsOn.add(d.asText()));
    assertThat(dependsOn).containsAll(synth.resources("AWS::S3Files::MountTarget").keySet());
  }

  // ---- weekly reindex ---------------------------------------------------------------------------------------

  @Test
  void theReindexRunsWeeklyOnSundayAtThreeUtc() {
    JsonNode rule = synth.only("AWS::Events::Rule");
    assertThat(rule.at("/Properties/ScheduleExpression").asText()).isEqualTo("cron(0 3 ? * SUN *)");
    assertThat(rule.at("/Properties/State").asText()).isEqualTo("ENABLED");
  }

  @Test
  void theReindexTargetIsRunCommandOnTheSearchHost() {
    JsonNode targets = synth.only("AWS::Events::Rule").at("/Properties/Targets");
    assertThat(targets).hasSize(1);
    JsonNode target = targets.get(0);
    assertThat(TemplateText.flatten(target.path("Arn")))
        .isEqualTo("arn:{AWS::Partition}:ssm:{AWS::Region}::document/AWS-RunShellScript");
    JsonNode runOn = target.at("/RunCommandParameters/RunCommandTargets");
    assertThat(runOn).hasSize(1);
    assertThat(runOn.get(0).path("Key").asText()).isEqualTo("InstanceIds");
    assertThat(runOn.get(0).at("/Values/0/Ref").asText()).isEqualTo(instanceId());
    assertThat(target.path("Input").asText())
        .contains("\"commands\":[\"runuser -u docsearch -- /opt/docsearch/bin/reindex\"]");
  }

  @Test
  void theReindexRoleMayOnlySendThatCommandToThatHost() {
    JsonNode target = synth.only("AWS::Events::Rule").at("/Properties/Targets/0");
    String roleId = target.at("/RoleArn/Fn::GetAtt/0").asText();
    JsonNode trust = synth.json.at("/Resources/" + roleId + "/Properties/AssumeRolePolicyDocument/Statement/0");
    assertThat(trust.at("/Principal/Service").asText()).isEqualTo("events.amazonaws.com");
    List<JsonNode> statements = new ArrayList<>();
    policiesOfRole(roleId).forEach(p -> statements.addAll(statementsOf(p)));
    assertThat(statements).hasSize(1);
    assertThat(actions(statements.get(0))).containsExactly("ssm:SendCommand");
    assertThat(TemplateText.resources(statements.get(0))).containsExactlyInAnyOrder(
        "arn:{AWS::Partition}:ssm:{AWS::Region}::document/AWS-RunShellScript",
        "arn:{AWS::Partition}:ec2:{AWS::Region}:{AWS::AccountId}:instance/{" + instanceId() + "}");
  }

  @Test
  void hostLogsGoToALogGroupWithRetention() {
    assertThat(synth.json.at("/Resources/" + hostLogGroupId() + "/Properties/RetentionInDays").asInt())
        .isEqualTo(30);
    String userData = TemplateText.flatten(instance().at("/Properties/UserData/Fn::Base64"));
    assertThat(userData).contains("\"log_group_name\": \"{" + hostLogGroupId() + "}\"");
  }

  // ---- outputs ----------------------------------------------------------------------------------------------

  @Test
  void outputsSayHowToReachAndOperateTheDeployment() {
    JsonNode outputs = synth.json.path("Outputs");
    assertThat(outputs.fieldNames()).toIterable().contains("ServiceUrl", "BucketName", "FileSystemId",
        "InstanceId", "SessionCommand", "ReindexNowCommand", "PortForwardCommand", "LogGroupName");
    assertThat(TemplateText.flatten(outputs.at("/SessionCommand/Value")))
        .isEqualTo("aws ssm start-session --region {AWS::Region} --target {" + instanceId() + "}");
    assertThat(TemplateText.flatten(outputs.at("/ReindexNowCommand/Value")))
        .contains("--document-name AWS-RunShellScript")
        .contains("runuser -u docsearch -- /opt/docsearch/bin/reindex");
    assertThat(TemplateText.flatten(outputs.at("/ServiceUrl/Value")))
        .isEqualTo("http://{" + instanceId() + ".PublicDnsName}:8080/");
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  static String artifactBucketId() {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.storage().bucket().getNode()
        .getDefaultChild());
  }

  private static JsonNode artifactBucket() {
    return synth.json.at("/Resources/" + artifactBucketId());
  }

  private static String fileSystemId() {
    return synth.logicalIdOf(synth.stack.files().fileSystem());
  }

  private static String fileSystemRoleId() {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.files().role().getNode()
        .getDefaultChild());
  }

  private static String fileSystemPolicyId() {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.files().rolePolicy().getNode()
        .getDefaultChild());
  }

  private static JsonNode fileSystemPolicy() {
    return synth.json.at("/Resources/" + fileSystemPolicyId());
  }

  private static String mountTargetSgId() {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.files().mountTargetSecurityGroup()
        .getNode().getDefaultChild());
  }

  private static String hostSgId() {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.host().securityGroup().getNode()
        .getDefaultChild());
  }

  private static String hostRoleId() {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.host().role().getNode()
        .getDefaultChild());
  }

  private static String instanceId() {
    // Not stack.getLogicalId: a user data hash is appended to it at synth (userDataCausesReplacement).
    Map<String, JsonNode> instances = synth.resources("AWS::EC2::Instance");
    assertThat(instances).hasSize(1);
    return instances.keySet().iterator().next();
  }

  private static String hostLogGroupId() {
    Map<String, JsonNode> groups = synth.resources("AWS::Logs::LogGroup");
    return groups.keySet().stream().filter(id -> id.startsWith("HostLogs")).findFirst().orElseThrow();
  }

  private static JsonNode instance() {
    return synth.json.at("/Resources/" + instanceId());
  }

  /** Inline rules of a security group plus its separate AWS::EC2::SecurityGroupIngress resources. */
  static List<JsonNode> ingressOf(String securityGroupId) {
    List<JsonNode> rules = new ArrayList<>();
    synth.json.at("/Resources/" + securityGroupId + "/Properties/SecurityGroupIngress").forEach(rules::add);
    synth.resources("AWS::EC2::SecurityGroupIngress").values().forEach(r -> {
      if (securityGroupId.equals(r.at("/Properties/GroupId/Fn::GetAtt/0").asText())) {
        rules.add(r.path("Properties"));
      }
    });
    return rules;
  }

  private static List<JsonNode> policiesOfRole(String roleId) {
    List<JsonNode> policies = new ArrayList<>();
    synth.resources("AWS::IAM::Policy").values().forEach(p -> p.at("/Properties/Roles").forEach(r -> {
      if (roleId.equals(r.path("Ref").asText())) {
        policies.add(p);
      }
    }));
    return policies;
  }

  private static List<JsonNode> statementsOf(JsonNode policy) {
    List<JsonNode> statements = new ArrayList<>();
    policy.at("/Properties/PolicyDocument/Statement").forEach(statements::add);
    return statements;
  }

  private static List<String> actions(JsonNode statement) {
    List<String> actions = new ArrayList<>();
    JsonNode a = statement.path("Action");
    if (a.isArray()) {
      a.forEach(x -> actions.add(x.asText()));
    } else {
      actions.add(a.asText());
    }
    return actions;
  }

  private static JsonNode statementWithAction(List<JsonNode> statements, String action) {
    return statements.stream().filter(st -> actions(st).contains(action)).findFirst()
        .orElseThrow(() -> new AssertionError("no statement allows " + action + " in " + statements));
  }
}
