package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other settings in one synth (synth is slow): an existing VPC, a KMS key, data not retained, no allowed CIDR.
 */
class DocsearchStackVariantsTest {

  static final DeploymentSettings VARIANT = DeploymentSettings.fromContext(Map.<String, Object>of(
      "useKms", true,
      "retainData", false,
      "vpcId", "vpc-0abc12345def67890",
      "vpcAvailabilityZones", List.of("eu-west-1a", "eu-west-1b"),
      "vpcSubnetIds", List.of("subnet-0aaa1111bbb22222c", "subnet-0ddd3333eee44444f"))::get);

  private static SynthesizedStack synth;

  @BeforeAll
  static void synthesize() {
    synth = SynthesizedStack.of(VARIANT);
  }

  @Test
  void withoutAnAllowedCidrNothingReachesTheLoadBalancer() {
    String albSg = synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.loadBalancer().securityGroup()
        .getNode().getDefaultChild());
    assertThat(ingressOf(albSg)).isEmpty();
  }

  @Test
  void anExistingVpcIsUsedByIdWithoutLookupOrNewNetwork() {
    assertThat(synth.resources("AWS::EC2::VPC")).isEmpty();
    assertThat(synth.resources("AWS::EC2::Subnet")).isEmpty();
    List<String> subnets = new ArrayList<>();
    synth.resources("AWS::S3Files::MountTarget").values()
        .forEach(mt -> subnets.add(mt.at("/Properties/SubnetId").asText()));
    assertThat(subnets).containsExactlyInAnyOrder("subnet-0aaa1111bbb22222c", "subnet-0ddd3333eee44444f");
    JsonNode sg = synth.json.at("/Resources/" + synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack
        .files().mountTargetSecurityGroup().getNode().getDefaultChild()));
    assertThat(sg.at("/Properties/VpcId").asText()).isEqualTo("vpc-0abc12345def67890");
  }

  @Test
  void withKmsTheBucketAndFileSystemUseTheKeyAndTheRoleMayUseIt() {
    JsonNode bucket = artifactBucket();
    JsonNode sse = bucket.at("/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0");
    assertThat(sse.at("/ServerSideEncryptionByDefault/SSEAlgorithm").asText()).isEqualTo("aws:kms");
    String keyId = sse.at("/ServerSideEncryptionByDefault/KMSMasterKeyID/Fn::GetAtt/0").asText();
    assertThat(synth.json.at("/Resources/" + keyId + "/Properties/EnableKeyRotation").asBoolean()).isTrue();
    JsonNode fs = synth.only("AWS::S3Files::FileSystem");
    assertThat(fs.at("/Properties/KmsKeyId/Fn::GetAtt/0").asText()).isEqualTo(keyId);
    String policyId = synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack.files().rolePolicy()
        .getNode().getDefaultChild());
    boolean decrypt = false;
    for (JsonNode st : synth.json.at("/Resources/" + policyId + "/Properties/PolicyDocument/Statement")) {
      decrypt |= st.path("Action").toString().contains("kms:Decrypt")
          && st.at("/Resource/Fn::GetAtt/0").asText().equals(keyId);
    }
    assertThat(decrypt).as("file system role may decrypt with " + keyId).isTrue();
    // Direct reads of SSE-KMS objects: the hosts decrypt too (Bucket.grantRead adds the key).
    for (software.amazon.awscdk.services.iam.Role role : List.of(synth.stack.serving().role(),
        synth.stack.builder().role())) {
      String roleId = synth.logicalIdOf((software.amazon.awscdk.CfnElement) role.getNode().getDefaultChild());
      boolean hostDecrypt = false;
      for (JsonNode p : synth.resources("AWS::IAM::Policy").values()) {
        if (!p.at("/Properties/Roles").toString().contains(roleId)) {
          continue;
        }
        for (JsonNode st : p.at("/Properties/PolicyDocument/Statement")) {
          hostDecrypt |= st.path("Action").toString().contains("kms:Decrypt")
              && st.at("/Resource/Fn::GetAtt/0").asText().equals(keyId);
        }
      }
      assertThat(hostDecrypt).as(roleId + " may decrypt with " + keyId).isTrue();
    }
  }

  @Test
  void withoutRetainTheBucketIsDeletedWithTheStack() {
    assertThat(artifactBucket().path("DeletionPolicy").asText()).isEqualTo("Delete");
  }

  private static JsonNode artifactBucket() {
    return synth.json.at("/Resources/" + synth.logicalIdOf((software.amazon.awscdk.CfnElement) synth.stack
        .storage().bucket().getNode().getDefaultChild()));
  }

  private static List<JsonNode> ingressOf(String sgId) {
    List<JsonNode> rules = new ArrayList<>();
    synth.json.at("/Resources/" + sgId + "/Properties/SecurityGroupIngress").forEach(rules::add);
    synth.resources("AWS::EC2::SecurityGroupIngress").values().forEach(r -> {
      if (sgId.equals(r.at("/Properties/GroupId/Fn::GetAtt/0").asText())) {
        rules.add(r);
      }
    });
    return rules;
  }
}
