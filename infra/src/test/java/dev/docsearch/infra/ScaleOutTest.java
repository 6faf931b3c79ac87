package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;

/**
 * The serving tier behind the load balancer and the builder apart from it, on the real synth of replicas=1 and
 * replicas=3 (and of an HTTPS deployment): group sizes, signals and rolling update, the health check, the
 * security group chain, the listener, and the builder's 0..1 group with its own scale-in.
 */
class ScaleOutTest {

  static final String CERTIFICATE =
      "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

  private static SynthesizedStack replicas(int n) {
    return SynthesizedStack.of(SynthesizedStack.settings(Map.of("replicas", n)));
  }

  private static SynthesizedStack https() {
    return SynthesizedStack.of(SynthesizedStack.settings(Map.of("certificateArn", CERTIFICATE)));
  }

  @ParameterizedTest(name = "replicas={0}")
  @ValueSource(ints = {1, 3})
  void theServingGroupHasExactlyReplicasHostsAndRoomForOneMoreDuringARollingUpdate(int n) {
    SynthesizedStack synth = replicas(n);
    synth.template.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 2);
    synth.template.resourceCountIs("AWS::EC2::Instance", 0);
    synth.template.hasResourceProperties("AWS::AutoScaling::AutoScalingGroup", Match.objectLike(Map.of(
        "MinSize", Integer.toString(n), "DesiredCapacity", Integer.toString(n),
        "MaxSize", Integer.toString(n + 1))));
    JsonNode serving = synth.json.at("/Resources/" + synth.logicalIdOf(synth.stack.serving().cfnGroup()));
    assertThat(serving.at("/Properties/MinSize").asText()).isEqualTo(Integer.toString(n));
    assertThat(serving.at("/Properties/VPCZoneIdentifier")).hasSize(2);
  }

  @ParameterizedTest(name = "replicas={0}")
  @ValueSource(ints = {1, 3})
  void everyServingHostMustSignalAndUpdatesRollOneAtATimeWithAllOthersInService(int n) {
    SynthesizedStack synth = replicas(n);
    JsonNode serving = synth.json.at("/Resources/" + synth.logicalIdOf(synth.stack.serving().cfnGroup()));
    assertThat(serving.at("/CreationPolicy/ResourceSignal/Count").asInt()).isEqualTo(n);
    assertThat(serving.at("/CreationPolicy/ResourceSignal/Timeout").asText()).isEqualTo("PT20M");
    JsonNode rolling = serving.at("/UpdatePolicy/AutoScalingRollingUpdate");
    assertThat(rolling.path("MaxBatchSize").asInt()).isEqualTo(1);
    assertThat(rolling.path("MinInstancesInService").asInt()).isEqualTo(n);
    assertThat(rolling.path("MinSuccessfulInstancesPercent").asInt()).isEqualTo(100);
    assertThat(rolling.path("WaitOnResourceSignals").asBoolean()).isTrue();
    assertThat(rolling.path("PauseTime").asText()).isEqualTo("PT20M");
    List<String> suspended = new ArrayList<>();
    rolling.path("SuspendProcesses").forEach(p -> suspended.add(p.asText()));
    assertThat(suspended).contains("HealthCheck", "ReplaceUnhealthy", "AZRebalance", "ScheduledActions");
  }

  @Test
  void theSignalNamesTheServingGroupAndTheRoleMaySignalOnlyThisStack() {
    SynthesizedStack synth = replicas(3);
    String groupId = synth.logicalIdOf(synth.stack.serving().cfnGroup());
    assertThat(userData(synth, synth.stack.serving())).contains("SIGNAL_RESOURCE='" + groupId + "'")
        .contains("STACK_NAME='Docsearch'")
        .contains("aws cloudformation signal-resource --region \"$AWS_REGION\" --stack-name \"$STACK_NAME\"");
    JsonNode signal = statementWithAction(synth, synth.stack.serving(), "cloudformation:SignalResource");
    assertThat(TemplateText.actions(signal)).containsExactly("cloudformation:SignalResource");
    assertThat(TemplateText.resources(signal)).containsExactly("{AWS::StackId}");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> statementWithAction(synth, synth.stack.builder(), "cloudformation:SignalResource"))
        .hasMessageContaining("no policy");
  }

  @ParameterizedTest(name = "replicas={0}")
  @ValueSource(ints = {1, 3})
  void theTargetGroupChecksHealthAndDrainsQuickly(int n) {
    SynthesizedStack synth = replicas(n);
    synth.template.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
        "Port", 8080, "Protocol", "HTTP", "TargetType", "instance",
        "HealthCheckPath", "/health", "Matcher", Map.of("HttpCode", "200"),
        "TargetGroupAttributes", Match.arrayWith(List.of(Map.of(
            "Key", "deregistration_delay.timeout_seconds", "Value", "15"))))));
    JsonNode serving = synth.json.at("/Resources/" + synth.logicalIdOf(synth.stack.serving().cfnGroup()));
    assertThat(TemplateText.flatten(serving.at("/Properties/TargetGroupARNs/0")))
        .isEqualTo("{" + idOf(synth, synth.stack.loadBalancer().targetGroup()) + "}");
    // The builder takes no traffic.
    JsonNode builder = synth.json.at("/Resources/" + synth.logicalIdOf(synth.stack.builder().cfnGroup()));
    assertThat(builder.at("/Properties/TargetGroupARNs").isMissingNode()).isTrue();
  }

  @ParameterizedTest(name = "replicas={0}")
  @ValueSource(ints = {1, 3})
  void theLoadBalancerAdmitsOnlyTheAllowedCidrAndReachesOnlyTheServicePortOfTheHosts(int n) {
    SynthesizedStack synth = replicas(n);
    String albSg = idOf(synth, synth.stack.loadBalancer().securityGroup());
    String hostSg = idOf(synth, synth.stack.serving().securityGroup());
    JsonNode ingress = synth.json.at("/Resources/" + albSg + "/Properties/SecurityGroupIngress");
    assertThat(ingress).hasSize(1);
    assertThat(ingress.get(0).path("CidrIp").asText()).isEqualTo("203.0.113.0/24");
    assertThat(ingress.get(0).path("FromPort").asInt()).isEqualTo(80);
    List<JsonNode> egress = new ArrayList<>();
    synth.resources("AWS::EC2::SecurityGroupEgress").values().forEach(e -> {
      if (albSg.equals(e.at("/Properties/GroupId/Fn::GetAtt/0").asText())) {
        egress.add(e.path("Properties"));
      }
    });
    assertThat(egress).hasSize(1);
    assertThat(egress.get(0).at("/DestinationSecurityGroupId/Fn::GetAtt/0").asText()).isEqualTo(hostSg);
    assertThat(egress.get(0).path("FromPort").asInt()).isEqualTo(8080);
    synth.template.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
        "IpProtocol", "tcp", "FromPort", 8080, "ToPort", 8080,
        "GroupId", Map.of("Fn::GetAtt", List.of(hostSg, "GroupId")),
        "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(albSg, "GroupId")))));
  }

  @Test
  void withoutACertificateTheListenerIsHttpAndMetricsAreNotServedThroughIt() {
    SynthesizedStack synth = replicas(1);
    synth.template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
        "Port", 80, "Protocol", "HTTP")));
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of(
        "Priority", 1,
        "Conditions", List.of(Map.of("Field", "path-pattern",
            "PathPatternConfig", Map.of("Values", List.of("/metrics", "/metrics/*")))),
        "Actions", List.of(Match.objectLike(Map.of("Type", "fixed-response",
            "FixedResponseConfig", Match.objectLike(Map.of("StatusCode", "404"))))))));
  }

  @Test
  void withACertificateTheListenerIsHttpsAndHttpRedirects() {
    SynthesizedStack synth = https();
    synth.template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
        "Port", 443, "Protocol", "HTTPS", "Certificates", List.of(Map.of("CertificateArn", CERTIFICATE)))));
    synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
        "Port", 80, "Protocol", "HTTP",
        "DefaultActions", List.of(Match.objectLike(Map.of("Type", "redirect",
            "RedirectConfig", Match.objectLike(Map.of("Protocol", "HTTPS", "Port", "443"))))))));
    String albSg = idOf(synth, synth.stack.loadBalancer().securityGroup());
    List<Integer> ports = new ArrayList<>();
    synth.json.at("/Resources/" + albSg + "/Properties/SecurityGroupIngress")
        .forEach(r -> ports.add(r.path("FromPort").asInt()));
    assertThat(ports).containsExactlyInAnyOrder(443, 80);
    assertThat(TemplateText.flatten(synth.json.at("/Outputs/ServiceUrl/Value"))).startsWith("https://");
  }

  @Test
  void theBuilderIsZeroAtRestAtMostOneAndHasNoDesiredCapacityThatADeployWouldReset() {
    SynthesizedStack synth = replicas(3);
    JsonNode builder = synth.json.at("/Resources/" + synth.logicalIdOf(synth.stack.builder().cfnGroup()));
    assertThat(builder.at("/Properties/MinSize").asText()).isEqualTo("0");
    assertThat(builder.at("/Properties/MaxSize").asText()).isEqualTo("1");
    assertThat(builder.at("/Properties/DesiredCapacity").isMissingNode()).isTrue();
    assertThat(builder.path("CreationPolicy").isMissingNode()).isTrue();
    assertThat(userData(synth, synth.stack.builder())).contains("HOST_ROLE='builder'")
        .contains("systemctl start --no-block docsearch-builder.service");
  }

  @Test
  void theBuilderMayScaleOnlyItsOwnGroupAndServingHostsMayOnlyStartIt() {
    SynthesizedStack synth = replicas(3);
    String builderArn = "arn:{AWS::Partition}:autoscaling:{AWS::Region}:{AWS::AccountId}:autoScalingGroup:*:"
        + "autoScalingGroupName/{" + synth.logicalIdOf(synth.stack.builder().cfnGroup()) + "}";
    for (HostGroup group : List.of(synth.stack.builder(), synth.stack.serving())) {
      JsonNode scaling = statementWithAction(synth, group, "autoscaling:SetDesiredCapacity");
      assertThat(TemplateText.actions(scaling)).containsExactly("autoscaling:SetDesiredCapacity");
      assertThat(TemplateText.resources(scaling)).as(group.hostRole().name()).containsExactly(builderArn);
    }
    assertThat(userData(synth, synth.stack.serving()))
        .contains("BUILDER_GROUP='{" + synth.logicalIdOf(synth.stack.builder().cfnGroup()) + "}'");
  }

  @Test
  void goingFromOneToThreeReplicasKeepsTheLogicalIdsOfEveryResource() {
    SynthesizedStack one = replicas(1);
    SynthesizedStack three = replicas(3);
    List<String> idsOfOne = new ArrayList<>();
    one.json.path("Resources").fieldNames().forEachRemaining(idsOfOne::add);
    List<String> idsOfThree = new ArrayList<>();
    three.json.path("Resources").fieldNames().forEachRemaining(idsOfThree::add);
    assertThat(idsOfThree).containsExactlyInAnyOrderElementsOf(idsOfOne);
    String bucket = one.logicalIdOf((software.amazon.awscdk.CfnElement) one.stack.storage().bucket().getNode()
        .getDefaultChild());
    assertThat(one.json.at("/Resources/" + bucket + "/DeletionPolicy").asText()).isEqualTo("Retain");
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  private static String idOf(SynthesizedStack synth, software.constructs.IConstruct construct) {
    return synth.logicalIdOf((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild());
  }

  private static String userData(SynthesizedStack synth, HostGroup group) {
    return TemplateText.bootstrapScript(TemplateText.flatten(synth.json.at("/Resources/"
        + idOf(synth, group.launchTemplate()) + "/Properties/LaunchTemplateData/UserData/Fn::Base64")));
  }

  /** The statement of one of the group role's policies that allows {@code action}. */
  private static JsonNode statementWithAction(SynthesizedStack synth, HostGroup group, String action) {
    String roleId = idOf(synth, group.role());
    for (JsonNode policy : synth.resources("AWS::IAM::Policy").values()) {
      boolean ofRole = false;
      for (JsonNode r : policy.at("/Properties/Roles")) {
        ofRole |= roleId.equals(r.path("Ref").asText());
      }
      if (!ofRole) {
        continue;
      }
      for (JsonNode st : policy.at("/Properties/PolicyDocument/Statement")) {
        if (TemplateText.actions(st).contains(action)) {
          return st;
        }
      }
    }
    throw new AssertionError("no policy of " + roleId + " allows " + action);
  }
}
