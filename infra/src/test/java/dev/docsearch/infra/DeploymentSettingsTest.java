package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentSettingsTest {

  private static DeploymentSettings from(Map<String, Object> context) {
    return DeploymentSettings.fromContext(context::get);
  }

  @Test
  void absentContextGivesTheDefaults() {
    DeploymentSettings s = from(Map.of());
    assertThat(s).isEqualTo(DeploymentSettings.defaults());
    assertThat(s.allowedCidr()).isEmpty();
    assertThat(s.instanceType()).isEqualTo("t3.medium");
    assertThat(s.reindexSchedule()).isEqualTo("cron(0 3 ? * SUN *)");
    assertThat(s.serviceJar()).isEqualTo(Path.of("service/target/docsearch-service.jar"));
    assertThat(s.replicas()).isEqualTo(1);
    assertThat(s.builderInstanceType()).isEqualTo("c6i.xlarge");
    assertThat(s.certificateArn()).isEmpty();
  }

  @Test
  void contextValuesAreRead() {
    DeploymentSettings s = from(Map.of(
        "allowedCidr", "198.51.100.7/32",
        "instanceType", "t3.large",
        "servicePort", "9090",
        "useKms", "true",
        "replicas", "3",
        "builderInstanceType", "c7i.2xlarge",
        "certificateArn", ScaleOutTest.CERTIFICATE,
        "vpcId", "vpc-0abc12345def67890",
        "vpcSubnetIds", "subnet-0aaa1111bbb22222c,subnet-0ddd3333eee44444f",
        "vpcAvailabilityZones", List.of("eu-west-1a", "eu-west-1b")));
    assertThat(s.allowedCidr()).contains("198.51.100.7/32");
    assertThat(s.instanceType()).isEqualTo("t3.large");
    assertThat(s.servicePort()).isEqualTo(9090);
    assertThat(s.useKms()).isTrue();
    assertThat(s.replicas()).isEqualTo(3);
    assertThat(s.builderInstanceType()).isEqualTo("c7i.2xlarge");
    assertThat(s.certificateArn()).contains(ScaleOutTest.CERTIFICATE);
    assertThat(s.existingVpc()).get().extracting(DeploymentSettings.ExistingVpc::subnetIds).asList()
        .containsExactly("subnet-0aaa1111bbb22222c", "subnet-0ddd3333eee44444f");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void badValuesFailWithTheContextKey(Map<String, Object> context, String message) {
    assertThatThrownBy(() -> from(context)).hasMessage(message);
  }

  static Stream<Arguments> badValuesFailWithTheContextKey() {
    return Stream.of(
        arguments(Map.of("servicePort", "eighty"), "context servicePort: not a whole number: 'eighty'"),
        arguments(Map.of("replicas", "0"), "context replicas: 0 is outside 1..20"),
        arguments(Map.of("replicas", "21"), "context replicas: 21 is outside 1..20"),
        arguments(Map.of("useKms", "yes"), "context useKms: expected true or false, got 'yes'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void badValuesFailWithAMessageSaying(Map<String, Object> context, List<String> said) {
    assertThatThrownBy(() -> from(context)).hasMessageContainingAll(said.toArray(String[]::new));
  }

  static Stream<Arguments> badValuesFailWithAMessageSaying() {
    return Stream.of(
        arguments(Map.of("allowedCidr", "0.0.0.0"), List.of("context allowedCidr", "'0.0.0.0'")),
        arguments(Map.of("servicePort", "22"), List.of("context servicePort: 22 is outside 1024..65535")),
        arguments(Map.of("builderInstanceType", "big"),
            List.of("context builderInstanceType: not an EC2 instance type")),
        arguments(Map.of("certificateArn", "arn:aws:iam::123456789012:server-certificate/x"),
            List.of("context certificateArn: not an ACM certificate ARN")),
        arguments(Map.of("availabilityZones", "eu-west-1a"),
            List.of("context availabilityZones: the load balancer needs two AZs at least")),
        arguments(Map.of("reindexSchedule", "weekly"), List.of("context reindexSchedule")),
        arguments(Map.of("vpcId", "vpc-0abc12345def67890", "vpcSubnetIds", "subnet-0aaa1111bbb22222c"),
            List.of("one AZ per subnet")),
        arguments(Map.of("vpcId", "vpc-0abc12345def67890", "vpcSubnetIds", "subnet-0aaa1111bbb22222c",
            "vpcAvailabilityZones", "eu-west-1a"), List.of("the load balancer needs subnets in two AZs at least")),
        // Two subnets in one AZ would make two mount targets there, which S3 Files refuses at deploy time.
        arguments(Map.of("vpcId", "vpc-0abc12345def67890",
            "vpcSubnetIds", "subnet-0aaa1111bbb22222c,subnet-0ddd3333eee44444f",
            "vpcAvailabilityZones", List.of("eu-west-1a", "eu-west-1a")),
            List.of("at most one subnet per AZ", "eu-west-1a")));
  }

  @Test
  void theDoctorCallsTheModelledS3FilesEndpoint() {
    assertThat(dev.docsearch.infra.doctor.SignedS3FilesApi.defaultEndpoint(
        software.amazon.awssdk.regions.Region.EU_WEST_1)).hasToString("https://s3files.eu-west-1.api.aws");
  }
}
