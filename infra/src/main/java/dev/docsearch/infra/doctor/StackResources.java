package dev.docsearch.infra.doctor;

import dev.docsearch.infra.DeploymentContract;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;

/**
 * What the doctor needs to know about a deployed docsearch stack: the physical ids, read from the stack's outputs
 * and resources (found by resource type and by the construct ids of {@code DocsearchStack}, which start their
 * logical ids).
 *
 * @param stackName            the stack
 * @param region               its region
 * @param account              its account
 * @param bucketName           the artifact bucket
 * @param fileSystemId         the S3 Files file system
 * @param servingGroup         name of the serving Auto Scaling group
 * @param builderGroup         name of the builder Auto Scaling group
 * @param logGroup             the host log group (bootstrap, reindex and mount helper logs)
 * @param fileSystemRole       name of the file system's role
 * @param servingRole          name of the serving hosts' role
 * @param builderRole          name of the builder's role
 * @param servingSecurityGroup sg-... of the serving hosts
 * @param builderSecurityGroup sg-... of the builder
 * @param mountTargetSecurityGroup sg-... of the file system's mount targets (a mount target made by hand needs it)
 * @param targetGroupArn       the load balancer's target group of the serving hosts
 * @param scheduleName         the weekly reindex schedule
 * @param scheduleGroup        its schedule group
 */
public record StackResources(String stackName, String region, String account, String bucketName,
    String fileSystemId, String servingGroup, String builderGroup, String logGroup, String fileSystemRole,
    String servingRole, String builderRole, String servingSecurityGroup, String builderSecurityGroup,
    String mountTargetSecurityGroup, String targetGroupArn, String scheduleName, String scheduleGroup) {

  /** Where EventBridge Scheduler puts a schedule whose stack names no group. */
  public static final String DEFAULT_SCHEDULE_GROUP = "default";

  private static final String ROLE = "AWS::IAM::Role";
  private static final String SECURITY_GROUP = "AWS::EC2::SecurityGroup";

  /** Reads them; fails with a message that names what is missing. */
  public static StackResources read(CloudFormationClient cloudFormation, String stackName) {
    Stack stack = cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
    Map<String, String> outputs = stack.outputs().stream()
        .collect(Collectors.toMap(Output::outputKey, Output::outputValue, (a, b) -> a));
    // ListStackResources pages; DescribeStackResources stops at 100 resources.
    List<StackResourceSummary> resources = cloudFormation.listStackResourcesPaginator(r -> r.stackName(stackName))
        .stackResourceSummaries().stream().toList();
    return from(stackName, stack.stackId(), outputs, resources);
  }

  /**
   * Picks them out of a stack's outputs and resources.
   *
   * @param stackId the stack's ARN, {@code arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>}
   */
  static StackResources from(String stackName, String stackId, Map<String, String> outputs,
      List<StackResourceSummary> resources) {
    String[] arn = stackId.split(":");
    Finder find = new Finder(stackName, outputs, resources);
    return new StackResources(stackName, arn[3], arn[4],
        find.output("BucketName"),
        find.output("FileSystemId"),
        find.output("ServingGroupName"),
        find.output("BuilderGroupName"),
        find.output("LogGroupName"),
        find.physicalId(ROLE, DeploymentContract.FILES_ID + "Role"),
        find.physicalId(ROLE, DeploymentContract.HOST_ID + "Role"),
        find.physicalId(ROLE, DeploymentContract.BUILDER_ID + "Role"),
        find.physicalId(SECURITY_GROUP, DeploymentContract.HOST_ID + "SecurityGroup"),
        find.physicalId(SECURITY_GROUP, DeploymentContract.BUILDER_ID + "SecurityGroup"),
        find.physicalId(SECURITY_GROUP, DeploymentContract.FILES_ID + "MountTargetSecurityGroup"),
        find.physicalId("AWS::ElasticLoadBalancingV2::TargetGroup", DeploymentContract.LOAD_BALANCER_ID),
        find.physicalId("AWS::Scheduler::Schedule", DeploymentContract.REINDEX_ID),
        // A group of its own would be a resource of the stack; none means the account's default group.
        find.optionalPhysicalId("AWS::Scheduler::ScheduleGroup", DeploymentContract.REINDEX_ID)
            .orElse(DEFAULT_SCHEDULE_GROUP));
  }

  /** Looks things up in one stack's outputs and resources, failing with a message that names what is missing. */
  private record Finder(String stackName, Map<String, String> outputs, List<StackResourceSummary> resources) {

    String output(String key) {
      return Optional.ofNullable(outputs.get(key)).orElseThrow(() -> new IllegalStateException(
          "stack " + stackName + " has no output " + key + "; is it a docsearch stack of this version (cdk deploy "
              + "of infra)?"));
    }

    String physicalId(String type, String logicalPrefix) {
      return optionalPhysicalId(type, logicalPrefix).orElseThrow(() -> new IllegalStateException("stack "
          + stackName + " has no " + type + " whose logical id starts with " + logicalPrefix
          + "; is it a docsearch stack of this version?"));
    }

    Optional<String> optionalPhysicalId(String type, String logicalPrefix) {
      return resources.stream()
          .filter(r -> type.equals(r.resourceType()) && r.logicalResourceId().startsWith(logicalPrefix))
          .map(StackResourceSummary::physicalResourceId)
          .findFirst();
    }
  }

  public String bucketArn() {
    return "arn:" + partition() + ":s3:::" + bucketName;
  }

  /** The partition of the stack's region (aws, aws-cn, aws-us-gov...). */
  public String partition() {
    return AwsClients.partitionOf(Region.of(region));
  }
}
