package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
    assertThat(TemplateText.actions(listing)).containsExactlyInAnyOrder("s3:ListBucket", "s3:ListBucketVersions");
    assertThat(listing.at("/Resource/Fn::GetAtt/0").asText()).isEqualTo(artifactBucketId());
    JsonNode objects = statementWithAction(statements, "s3:PutObject*");
    assertThat(TemplateText.actions(objects)).contains("s3:AbortMultipartUpload", "s3:DeleteObject*", "s3:GetObject*",
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
        assertThat(TemplateText.actions(st)).as("actions allowed on every resource")
            .containsExactly("events:ListRules");
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
  void mountTargetsAdmitNfsOnlyFromTheServingAndBuilderSecurityGroups() {
    List<JsonNode> ingress = ingressOf(mountTargetSgId());
    List<String> sources = new ArrayList<>();
    for (JsonNode rule : ingress) {
      assertThat(rule.path("IpProtocol").asText()).isEqualTo("tcp");
      assertThat(rule.path("FromPort").asInt()).isEqualTo(2049);
      assertThat(rule.path("ToPort").asInt()).isEqualTo(2049);
      assertThat(rule.has("CidrIp")).isFalse();
      sources.add(rule.at("/SourceSecurityGroupId/Fn::GetAtt/0").asText());
    }
    assertThat(sources).containsExactlyInAnyOrderElementsOf(hostGroupIds(HostGroup::securityGroup));
  }

  // ---- hosts ------------------------------------------------------------------------------------------------

  @Test
  void servingHostsAreT3MediumAndTheBuilderIsSizedForEmbedding() {
    assertThat(launchData(servingLaunchTemplateId()).path("InstanceType").asText()).isEqualTo("t3.medium");
    assertThat(launchData(builderLaunchTemplateId()).path("InstanceType").asText()).isEqualTo("c6i.xlarge");
  }

  @Test
  void everyHostRequiresImdsV2AndMayReadItsInstanceTags() {
    for (String lt : hostGroupIds(HostGroup::launchTemplate)) {
      JsonNode metadata = launchData(lt).path("MetadataOptions");
      assertThat(metadata.path("HttpTokens").asText()).as(lt).isEqualTo("required");
      assertThat(metadata.path("InstanceMetadataTags").asText()).as(lt).isEqualTo("enabled");
    }
  }

  @Test
  void theHostsHaveNoKeyPairAndNoSshPort() {
    for (String lt : hostGroupIds(HostGroup::launchTemplate)) {
      assertThat(launchData(lt).path("KeyName").isMissingNode()).isTrue();
    }
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
  void theServicePortIsOpenOnlyToTheLoadBalancerAndTheBuilderToNothing() {
    List<JsonNode> ingress = ingressOf(hostSgId());
    assertThat(ingress).hasSize(1);
    assertThat(ingress.get(0).has("CidrIp")).isFalse();
    assertThat(ingress.get(0).at("/SourceSecurityGroupId/Fn::GetAtt/0").asText()).isEqualTo(albSgId());
    assertThat(ingress.get(0).path("FromPort").asInt()).isEqualTo(8080);
    assertThat(ingress.get(0).path("ToPort").asInt()).isEqualTo(8080);
    assertThat(ingressOf(builderSgId())).isEmpty();
  }

  @Test
  void theHostsRunUbuntu2404FromThePublicSsmParameter() {
    for (String lt : hostGroupIds(HostGroup::launchTemplate)) {
      String parameter = launchData(lt).at("/ImageId/Ref").asText();
      JsonNode p = synth.json.at("/Parameters/" + parameter);
      assertThat(p.path("Type").asText()).isEqualTo("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
      assertThat(p.path("Default").asText())
          .isEqualTo("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id");
    }
  }

  @Test
  void theRootVolumesAreEncryptedGp3() {
    for (String lt : hostGroupIds(HostGroup::launchTemplate)) {
      JsonNode ebs = launchData(lt).at("/BlockDeviceMappings/0/Ebs");
      assertThat(ebs.path("Encrypted").asBoolean()).isTrue();
      assertThat(ebs.path("VolumeType").asText()).isEqualTo("gp3");
    }
  }

  @Test
  void theHostRolesHaveTheS3FilesClientAndSsmPoliciesAndNothingBroad() {
    for (String roleId : hostGroupIds(HostGroup::role)) {
      JsonNode role = synth.json.at("/Resources/" + roleId);
      List<String> managed = new ArrayList<>();
      role.at("/Properties/ManagedPolicyArns").forEach(arn -> managed.add(TemplateText.flatten(arn)));
      assertThat(managed).containsExactlyInAnyOrder(
          "arn:{AWS::Partition}:iam::aws:policy/AmazonS3FilesClientFullAccess",
          "arn:{AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore");
      for (JsonNode policy : policiesOfRole(roleId)) {
        for (JsonNode st : statementsOf(policy)) {
          assertThat(TemplateText.resources(st)).as("statement " + st).doesNotContain("*");
          assertThat(TemplateText.actions(st)).as("statement " + st).noneMatch(a -> a.endsWith(":*") || a.equals("*"));
        }
      }
    }
  }

  @Test
  void bothRolesMayReadTheBucketForDirectReadsAndNeitherMayWriteIt() {
    for (String roleId : hostGroupIds(HostGroup::role)) {
      List<JsonNode> statements = new ArrayList<>();
      policiesOfRole(roleId).forEach(p -> statements.addAll(statementsOf(p)));
      JsonNode read = statementWithAction(statements, "s3:GetObject*");
      assertThat(TemplateText.actions(read)).contains("s3:GetObject*", "s3:List*");
      assertThat(TemplateText.resources(read)).containsExactlyInAnyOrder("{" + artifactBucketId() + ".Arn}",
          "{" + artifactBucketId() + ".Arn}/*");
      for (JsonNode st : statements) {
        assertThat(TemplateText.actions(st)).as(roleId + " " + st)
            .noneMatch(a -> a.startsWith("s3:Put") || a.startsWith("s3:Delete") || a.startsWith("s3:Abort"));
      }
    }
  }

  @Test
  void theMountHelperLogsToTheHostLogGroupWhichTheRolesMayWrite() {
    for (String roleId : hostGroupIds(HostGroup::role)) {
      List<JsonNode> statements = new ArrayList<>();
      policiesOfRole(roleId).forEach(p -> statements.addAll(statementsOf(p)));
      for (String action : List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup",
          "logs:DescribeLogStreams")) {
        assertThat(TemplateText.resources(statementWithAction(statements, action))).as(roleId + " " + action)
            .containsExactly("{" + hostLogGroupId() + ".Arn}");
      }
    }
    assertThat(userData(servingLaunchTemplateId()))
        .contains("LOG_GROUP='{" + hostLogGroupId() + "}'")
        .contains("s|^log_group_name = .*|log_group_name = $LOG_GROUP|")
        .contains("s|^metrics_enabled = true|metrics_enabled = false|");
  }

  @Test
  void theHostsMountTheFileSystemFromTheirUserDataServingReadOnly() {
    for (String lt : hostGroupIds(HostGroup::launchTemplate)) {
      String userData = userData(lt);
      assertThat(userData).contains("FS_ID='{" + fileSystemId() + ".FileSystemId}'");
      assertThat(userData).contains("mount -t s3files \"${mount_options[@]}\" \"$FS_ID:/\" \"$MOUNT_DIR\"");
      assertThat(userData).doesNotContain("{{");
      // EC2's limit applies to what the template carries (the compressed script and the header), with room for
      // the tokens' values, which are longer than their flattened names here.
      assertThat(rawUserData(lt).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
          .isLessThan(HostBootstrapScript.USER_DATA_LIMIT_BYTES - 4096);
    }
    assertThat(userData(servingLaunchTemplateId())).contains("HOST_ROLE='serving'");
    assertThat(userData(builderLaunchTemplateId())).contains("HOST_ROLE='builder'");
  }

  @Test
  void theGroupsAreCreatedAfterTheMountTargets() {
    for (String group : hostGroupIds(HostGroup::group)) {
      List<String> dependsOn = new ArrayList<>();
      synth.json.at("/Resources/" + group + "/DependsOn").forEach(d -> dependsOn.add(d.asText()));
      assertThat(dependsOn).as(group).containsAll(synth.resources("AWS::S3Files::MountTarget").keySet());
    }
  }

  // ---- weekly reindex ---------------------------------------------------------------------------------------

  @Test
  void theWeeklyScheduleStartsTheBuilderOnSundayAtThreeUtc() {
    synth.template.resourceCountIs("AWS::Scheduler::Schedule", 1);
    synth.template.resourceCountIs("AWS::Events::Rule", 0);
    JsonNode schedule = synth.only("AWS::Scheduler::Schedule").path("Properties");
    assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("cron(0 3 ? * SUN *)");
    assertThat(schedule.path("ScheduleExpressionTimezone").asText()).isEqualTo("Etc/UTC");
    assertThat(schedule.path("State").asText()).isEqualTo("ENABLED");
    JsonNode target = schedule.path("Target");
    assertThat(TemplateText.flatten(target.path("Arn")))
        .isEqualTo("arn:{AWS::Partition}:scheduler:::aws-sdk:autoscaling:setDesiredCapacity");
    assertThat(TemplateText.flatten(target.path("Input")))
        .contains("\"AutoScalingGroupName\":\"{" + builderGroupId() + "}\"").contains("\"DesiredCapacity\":1");
  }

  @Test
  void theScheduleRoleMayOnlySetTheBuildersCapacity() {
    String roleId = synth.only("AWS::Scheduler::Schedule").at("/Properties/Target/RoleArn/Fn::GetAtt/0").asText();
    JsonNode trust = synth.json.at("/Resources/" + roleId + "/Properties/AssumeRolePolicyDocument/Statement/0");
    assertThat(trust.at("/Principal/Service").asText()).isEqualTo("scheduler.amazonaws.com");
    List<JsonNode> statements = new ArrayList<>();
    policiesOfRole(roleId).forEach(p -> statements.addAll(statementsOf(p)));
    assertThat(statements).hasSize(1);
    assertThat(TemplateText.actions(statements.get(0))).containsExactly("autoscaling:SetDesiredCapacity");
    assertThat(TemplateText.resources(statements.get(0))).containsExactly(builderGroupArn());
  }

  @Test
  void hostLogsGoToALogGroupWithRetention() {
    assertThat(synth.json.at("/Resources/" + hostLogGroupId() + "/Properties/RetentionInDays").asInt())
        .isEqualTo(30);
    assertThat(userData(servingLaunchTemplateId())).contains("\"log_group_name\": \"{" + hostLogGroupId() + "}\"");
  }

  // ---- outputs ----------------------------------------------------------------------------------------------

  @Test
  void outputsSayHowToReachAndOperateTheDeployment() {
    JsonNode outputs = synth.json.path("Outputs");
    assertThat(outputs.fieldNames()).toIterable().contains("ServiceUrl", "BucketName", "FileSystemId",
        "ServingGroupName", "BuilderGroupName", "SessionCommand", "ReindexNowCommand", "PortForwardCommand",
        "LogGroupName");
    assertThat(TemplateText.flatten(outputs.at("/SessionCommand/Value")))
        .startsWith("aws ssm start-session --region {AWS::Region} --target $(aws autoscaling "
            + "describe-auto-scaling-groups --region {AWS::Region} --auto-scaling-group-names {" + servingGroupId()
            + "} ");
    assertThat(TemplateText.flatten(outputs.at("/ReindexNowCommand/Value")))
        .isEqualTo("aws autoscaling set-desired-capacity --region {AWS::Region} --auto-scaling-group-name {"
            + builderGroupId() + "} --desired-capacity 1");
    assertThat(TemplateText.flatten(outputs.at("/ServiceUrl/Value")))
        .isEqualTo("http://{" + albId() + ".DNSName}/");
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

  private static String idOf(software.constructs.IConstruct construct) {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild());
  }

  /** The logical ids of one part of each host group: the serving group's, then the builder's. */
  private static List<String> hostGroupIds(Function<HostGroup, software.constructs.IConstruct> part) {
    return List.of(idOf(part.apply(synth.stack.serving())), idOf(part.apply(synth.stack.builder())));
  }

  private static String hostSgId() {
    return idOf(synth.stack.serving().securityGroup());
  }

  private static String builderSgId() {
    return idOf(synth.stack.builder().securityGroup());
  }

  private static String albSgId() {
    return idOf(synth.stack.loadBalancer().securityGroup());
  }

  private static String albId() {
    return idOf(synth.stack.loadBalancer().loadBalancer());
  }

  private static String servingGroupId() {
    return synth.logicalIdOf(synth.stack.serving().cfnGroup());
  }

  private static String builderGroupId() {
    return synth.logicalIdOf(synth.stack.builder().cfnGroup());
  }

  private static String builderGroupArn() {
    return "arn:{AWS::Partition}:autoscaling:{AWS::Region}:{AWS::AccountId}:autoScalingGroup:*:"
        + "autoScalingGroupName/{" + builderGroupId() + "}";
  }

  private static String servingLaunchTemplateId() {
    return idOf(synth.stack.serving().launchTemplate());
  }

  private static String builderLaunchTemplateId() {
    return idOf(synth.stack.builder().launchTemplate());
  }

  private static JsonNode launchData(String launchTemplateId) {
    return synth.json.at("/Resources/" + launchTemplateId + "/Properties/LaunchTemplateData");
  }

  private static String userData(String launchTemplateId) {
    return TemplateText.bootstrapScript(rawUserData(launchTemplateId));
  }

  private static String rawUserData(String launchTemplateId) {
    return TemplateText.flatten(launchData(launchTemplateId).at("/UserData/Fn::Base64"));
  }

  private static String hostLogGroupId() {
    Map<String, JsonNode> groups = synth.resources("AWS::Logs::LogGroup");
    return groups.keySet().stream().filter(id -> id.startsWith("HostLogs")).findFirst().orElseThrow();
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

  static List<JsonNode> policiesOfRole(String roleId) {
    List<JsonNode> policies = new ArrayList<>();
    synth.resources("AWS::IAM::Policy").values().forEach(p -> p.at("/Properties/Roles").forEach(r -> {
      if (roleId.equals(r.path("Ref").asText())) {
        policies.add(p);
      }
    }));
    return policies;
  }

  static List<JsonNode> statementsOf(JsonNode policy) {
    List<JsonNode> statements = new ArrayList<>();
    policy.at("/Properties/PolicyDocument/Statement").forEach(statements::add);
    return statements;
  }

  static JsonNode statementWithAction(List<JsonNode> statements, String action) {
    return statements.stream().filter(st -> TemplateText.actions(st).contains(action)).findFirst()
        .orElseThrow(() -> new AssertionError("no statement allows " + action + " in " + statements));
  }
}
