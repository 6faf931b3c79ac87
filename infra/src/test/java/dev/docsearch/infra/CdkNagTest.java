package dev.docsearch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AWS Solutions checks pass on every tested configuration: no unsuppressed error, and each suppression
 * names its rule, says why in a sentence, and (for the granular IAM rules) the exact findings it covers.
 */
class CdkNagTest {

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("standard", SynthesizedStack.settings(Map.of())),
        Arguments.of("kms, existing VPC, not retained", DocsearchStackVariantsTest.VARIANT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void noUnsuppressedAwsSolutionsErrors(String name, DeploymentSettings settings) {
    SynthesizedStack synth = SynthesizedStack.of(settings);
    assertThat(describe(synth.nagErrors)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void everySuppressionHasASpecificReason(String name, DeploymentSettings settings) {
    SynthesizedStack synth = SynthesizedStack.of(settings);
    List<JsonNode> suppressions = new ArrayList<>();
    synth.json.path("Resources").forEach(r -> r.at("/Metadata/cdk_nag/rules_to_suppress").forEach(suppressions::add));
    assertThat(suppressions).isNotEmpty();
    for (JsonNode s : suppressions) {
      String id = s.path("id").asText();
      assertThat(id).startsWith("AwsSolutions-");
      assertThat(s.path("reason").asText()).as("reason of " + id).hasSizeGreaterThan(60);
      if (id.equals("AwsSolutions-IAM4") || id.equals("AwsSolutions-IAM5")) {
        assertThat(s.path("applies_to")).as(id + " must name the findings it covers").isNotEmpty();
      }
    }
  }

  private static List<String> describe(List<SynthesisMessage> messages) {
    List<String> out = new ArrayList<>();
    messages.forEach(m -> out.add(m.getId() + ": " + m.getEntry().getData()));
    return out;
  }
}
