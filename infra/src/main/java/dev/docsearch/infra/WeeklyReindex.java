package dev.docsearch.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The weekly reindex: an EventBridge schedule whose target is SSM Run Command ({@value #DOCUMENT}) on the search
 * host, running {@value #COMMAND}.
 *
 * <p>EventBridge has no L2 target for Run Command, hence the L1 rule. Its role may only
 * {@code ssm:SendCommand}, with that document, on that instance. The command's output goes to the host's reindex
 * log, which the CloudWatch agent ships to the host's log group.
 */
public final class WeeklyReindex extends Construct {

  public static final String DOCUMENT = DeploymentContract.REINDEX_DOCUMENT;
  public static final String COMMAND = DeploymentContract.REINDEX_COMMAND;
  /** Run Command's own limit for one run, in seconds: a full rebuild may take hours. */
  public static final int EXECUTION_TIMEOUT_SECONDS = 6 * 3600;

  /**
   * @param instanceId the host that runs the reindex
   * @param schedule   EventBridge schedule expression
   */
  public record Props(String instanceId, String schedule) {
  }

  private final CfnRule rule;
  private final Role role;

  public WeeklyReindex(Construct scope, String id, Props props) {
    super(scope, id);
    Stack stack = Stack.of(this);
    String documentArn = "arn:" + stack.getPartition() + ":ssm:" + stack.getRegion() + "::document/" + DOCUMENT;
    String instanceArn = "arn:" + stack.getPartition() + ":ec2:" + stack.getRegion() + ":" + stack.getAccount()
        + ":instance/" + props.instanceId();

    role = Role.Builder.create(this, "Role")
        .description("Lets the docsearch weekly rule run the reindex on the search host (SSM Run Command)")
        .assumedBy(new ServicePrincipal("events.amazonaws.com").withConditions(Map.of(
            "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()))))
        .build();
    Policy policy = Policy.Builder.create(this, "RolePolicy")
        .roles(List.of(role))
        .statements(List.of(PolicyStatement.Builder.create()
            .actions(List.of("ssm:SendCommand"))
            .resources(List.of(documentArn, instanceArn))
            .build()))
        .build();

    rule = CfnRule.Builder.create(this, "Rule")
        .description("docsearch weekly reindex: pipeline update on the search host")
        .scheduleExpression(props.schedule())
        .state("ENABLED")
        .targets(List.of(CfnRule.TargetProperty.builder()
            .id("reindex-on-search-host")
            .arn(documentArn)
            .roleArn(role.getRoleArn())
            .runCommandParameters(CfnRule.RunCommandParametersProperty.builder()
                .runCommandTargets(List.of(CfnRule.RunCommandTargetProperty.builder()
                    .key("InstanceIds")
                    .values(List.of(props.instanceId()))
                    .build()))
                .build())
            .input(stack.toJsonString(Map.of(
                "commands", List.of(COMMAND),
                "executionTimeout", List.of(Integer.toString(EXECUTION_TIMEOUT_SECONDS)))))
            .build()))
        .build();
    rule.getNode().addDependency(policy);
  }

  public CfnRule rule() {
    return rule;
  }

  public Role role() {
    return role;
  }
}
