package dev.docsearch.infra.doctor;

import dev.docsearch.infra.DeploymentContract;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/**
 * What the doctor needs to know about a deployed docsearch stack: the physical ids, read from the stack's outputs
 * and resources (found by resource type and by the construct ids of {@code DocsearchStack}, which start their
 * logical ids).
 *
 * @param stackName        the stack
 * @param region           its region
 * @param account          its account
 * @param bucketName       the artifact bucket
 * @param fileSystemId     the S3 Files file system
 * @param instanceId       the search host
 * @param fileSystemRole   name of the file system's role
 * @param hostRole         name of the host's role
 * @param ruleName         the weekly reindex rule
 */
public record StackResources(String stackName, String region, String account, String bucketName,
    String fileSystemId, String instanceId, String fileSystemRole, String hostRole, String ruleName) {

  /** Reads them; fails with a message that names what is missing. */
  public static StackResources read(CloudFormationClient cloudFormation, String stackName) {
    Stack stack = cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
    // arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>
    String[] arn = stack.stackId().split(":");
    Map<String, String> outputs = stack.outputs().stream()
        .collect(Collectors.toMap(Output::outputKey, Output::outputValue, (a, b) -> a));
    List<StackResource> resources = cloudFormation.describeStackResources(r -> r.stackName(stackName))
        .stackResources();
    return new StackResources(stackName, arn[3], arn[4],
        output(outputs, "BucketName", stackName),
        output(outputs, "FileSystemId", stackName),
        output(outputs, "InstanceId", stackName),
        physicalId(resources, "AWS::IAM::Role", DeploymentContract.FILES_ID + "Role", stackName),
        physicalId(resources, "AWS::IAM::Role", DeploymentContract.HOST_ID + "Role", stackName),
        physicalId(resources, "AWS::Events::Rule", DeploymentContract.REINDEX_ID + "Rule", stackName));
  }

  private static String output(Map<String, String> outputs, String key, String stackName) {
    return Optional.ofNullable(outputs.get(key)).orElseThrow(() -> new IllegalStateException(
        "stack " + stackName + " has no output " + key + "; is it a docsearch stack (cdk deploy of infra)?"));
  }

  private static String physicalId(List<StackResource> resources, String type, String logicalPrefix,
      String stackName) {
    return resources.stream()
        .filter(r -> type.equals(r.resourceType()) && r.logicalResourceId().startsWith(logicalPrefix))
        .map(StackResource::physicalResourceId)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("stack " + stackName + " has no " + type + " whose logical id "
            + "starts with " + logicalPrefix + "; is it a docsearch stack?"));
  }

  public String bucketArn() {
    return "arn:" + partition() + ":s3:::" + bucketName;
  }

  /** The partition of the stack's region (aws, aws-cn, aws-us-gov). */
  public String partition() {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }
}
