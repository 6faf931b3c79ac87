package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    Map<String, Object> context = new HashMap<>();
    context.put("allowedCidr", "198.51.100.7/32");
    context.put("instanceType", "t3.large");
    context.put("servicePort", "9090");
    context.put("useKms", "true");
    context.put("replicas", "3");
    context.put("builderInstanceType", "c7i.2xlarge");
    context.put("certificateArn", ScaleOutTest.CERTIFICATE);
    context.put("vpcId", "vpc-0abc12345def67890");
    context.put("vpcSubnetIds", "subnet-0aaa1111bbb22222c,subnet-0ddd3333eee44444f");
    context.put("vpcAvailabilityZones", List.of("eu-west-1a", "eu-west-1b"));
    DeploymentSettings s = from(context);
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

  @Test
  void badValuesFailWithTheContextKey() {
    assertThatThrownBy(() -> from(Map.of("allowedCidr", "0.0.0.0")))
        .hasMessageContaining("context allowedCidr").hasMessageContaining("'0.0.0.0'");
    assertThatThrownBy(() -> from(Map.of("servicePort", "eighty")))
        .hasMessage("context servicePort: not a whole number: 'eighty'");
    assertThatThrownBy(() -> from(Map.of("servicePort", "22")))
        .hasMessageContaining("context servicePort: 22 is outside 1024..65535");
    assertThatThrownBy(() -> from(Map.of("replicas", "0")))
        .hasMessage("context replicas: 0 is outside 1..20");
    assertThatThrownBy(() -> from(Map.of("replicas", "21")))
        .hasMessage("context replicas: 21 is outside 1..20");
    assertThatThrownBy(() -> from(Map.of("builderInstanceType", "big")))
        .hasMessageContaining("context builderInstanceType: not an EC2 instance type");
    assertThatThrownBy(() -> from(Map.of("certificateArn", "arn:aws:iam::123456789012:server-certificate/x")))
        .hasMessageContaining("context certificateArn: not an ACM certificate ARN");
    assertThatThrownBy(() -> from(Map.of("availabilityZones", "eu-west-1a")))
        .hasMessageContaining("context availabilityZones: the load balancer needs two AZs at least");
    assertThatThrownBy(() -> from(Map.of("reindexSchedule", "weekly")))
        .hasMessageContaining("context reindexSchedule");
    assertThatThrownBy(() -> from(Map.of("useKms", "yes")))
        .hasMessage("context useKms: expected true or false, got 'yes'");
    assertThatThrownBy(() -> from(Map.of("vpcId", "vpc-0abc12345def67890", "vpcSubnetIds", "subnet-0aaa1111bbb22222c")))
        .hasMessageContaining("one AZ per subnet");
    assertThatThrownBy(() -> from(Map.of("vpcId", "vpc-0abc12345def67890", "vpcSubnetIds", "subnet-0aaa1111bbb22222c",
        "vpcAvailabilityZones", "eu-west-1a")))
        .hasMessageContaining("the load balancer needs subnets in two AZs at least");
    // Two subnets in one AZ would make two mount targets there, which S3 Files refuses at deploy time.
    assertThatThrownBy(() -> from(Map.of("vpcId", "vpc-0abc12345def67890",
        "vpcSubnetIds", "subnet-0aaa1111bbb22222c,subnet-0ddd3333eee44444f",
        "vpcAvailabilityZones", List.of("eu-west-1a", "eu-west-1a"))))
        .hasMessageContaining("at most one subnet per AZ").hasMessageContaining("eu-west-1a");
  }

  @Test
  void theDoctorCallsTheModelledS3FilesEndpoint() {
    assertThat(dev.docsearch.infra.doctor.SignedS3FilesApi.defaultEndpoint(
        software.amazon.awssdk.regions.Region.EU_WEST_1)).hasToString("https://s3files.eu-west-1.api.aws");
  }
}
