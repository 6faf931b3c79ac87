package dev.docsearch.infra.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.infra.DeploymentSettings;
import dev.docsearch.infra.DocsearchStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.constructs.IConstruct;

/**
 * The doctor finds every resource it checks in the template {@code DocsearchStack} synthesizes, and the right one:
 * each found by type and logical-id prefix is the construct the stack made for it, each output it reads exists. So
 * the doctor cannot drift from the stack again without a failing test (FakeAws copies these logical ids).
 */
class DoctorFindsTheSynthesizedStackTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The default deploy, and the other settings in one: an existing VPC, a KMS key, HTTPS, three replicas. */
  static List<Map<String, Object>> deployments() {
    return List.of(
        Map.of("allowedCidr", "203.0.113.0/24"),
        Map.of("allowedCidr", "203.0.113.0/24", "useKms", true, "replicas", 3,
            "certificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001",
            "vpcId", "vpc-0abc12345def67890", "vpcAvailabilityZones", List.of("eu-west-1a", "eu-west-1b"),
            "vpcSubnetIds", List.of("subnet-0aaa1111bbb22222c", "subnet-0ddd3333eee44444f")));
  }

  @ParameterizedTest
  @MethodSource("deployments")
  void everyResourceTheDoctorReadsIsTheOneTheStackMakes(Map<String, Object> context) throws IOException {
    // cdk.json's feature flags, as cdk synth applies them (the stack does not synthesize without some).
    Path cdkJson = Path.of(System.getProperty("docsearch.repo.root", "..")).resolve("cdk.json");
    Map<String, Object> flags = JSON.convertValue(JSON.readTree(Files.readString(cdkJson)).path("context"),
        new TypeReference<Map<String, Object>>() { });
    App app = new App(AppProps.builder().context(flags).build());
    DocsearchStack stack = new DocsearchStack(app, "Docsearch", StackProps.builder().build(),
        DeploymentSettings.fromContext(context::get));
    Map<String, Object> template = Template.fromStack(stack).toJSON();

    // A deployed stack as CloudFormation lists it, with each resource's logical id standing in for its physical id
    // and each output's name for its value.
    List<StackResourceSummary> resources = new ArrayList<>();
    asMap(template.get("Resources")).forEach((logicalId, resource) -> resources.add(StackResourceSummary.builder()
        .logicalResourceId(logicalId).physicalResourceId(logicalId)
        .resourceType((String) asMap(resource).get("Type")).build()));
    Map<String, String> outputs = new LinkedHashMap<>();
    asMap(template.get("Outputs")).keySet().forEach(key -> outputs.put(key, "output " + key));

    StackResources found = StackResources.from("Docsearch",
        "arn:aws:cloudformation:eu-west-1:123456789012:stack/Docsearch/7e1c0a80-0000-11f0-8000-0a1b2c3d4e5f",
        outputs, resources);

    assertThat(found).isEqualTo(new StackResources("Docsearch", "eu-west-1", "123456789012", "output BucketName",
        "output FileSystemId", "output ServingGroupName", "output BuilderGroupName", "output LogGroupName",
        logicalId(stack, stack.files().role()), logicalId(stack, stack.serving().role()),
        logicalId(stack, stack.builder().role()), logicalId(stack, stack.serving().securityGroup()),
        logicalId(stack, stack.builder().securityGroup()), logicalId(stack, stack.files().mountTargetSecurityGroup()),
        logicalId(stack, stack.loadBalancer().targetGroup()),
        logicalId(stack, stack.reindex().schedule()), StackResources.DEFAULT_SCHEDULE_GROUP));
    assertThat(asMap(asMap(asMap(template.get("Resources")).get(found.scheduleName())).get("Properties")))
        .as("a schedule in a group of its own would need the doctor to look there").doesNotContainKey("GroupName");
  }

  private static String logicalId(DocsearchStack stack, IConstruct construct) {
    return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object json) {
    return (Map<String, Object>) json;
  }
}
