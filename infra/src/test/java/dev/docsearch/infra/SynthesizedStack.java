package dev.docsearch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * A {@link DocsearchStack} synthesized the way {@code cdk synth} does it: with the context of the repository's
 * cdk.json and cdk-nag's AWS Solutions checks. Synth is slow (jsii), so each settings value is synthesized once per
 * test JVM and shared.
 */
final class SynthesizedStack {

  private static final Map<DeploymentSettings, SynthesizedStack> CACHE = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  final DocsearchStack stack;
  final Template template;
  final JsonNode json;
  final List<SynthesisMessage> nagErrors;
  final List<SynthesisMessage> nagWarnings;

  private SynthesizedStack(DeploymentSettings settings) {
    App app = new App(AppProps.builder().context(cdkJsonContext()).build());
    stack = new DocsearchStack(app, "Docsearch", StackProps.builder().build(), settings);
    Aspects.of(app).add(new AwsSolutionsChecks());
    template = Template.fromStack(stack);
    json = JSON.valueToTree(template.toJSON());
    Annotations annotations = Annotations.fromStack(stack);
    nagErrors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    nagWarnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
  }

  static SynthesizedStack of(DeploymentSettings settings) {
    return CACHE.computeIfAbsent(settings, SynthesizedStack::new);
  }

  /** The defaults plus an allowed CIDR, which is how a user deploys. */
  static SynthesizedStack standard() {
    return of(settings(Map.of()));
  }

  /** The settings a deploy with the standard allowed CIDR and these further context values reads. */
  static DeploymentSettings settings(Map<String, Object> context) {
    Map<String, Object> all = new HashMap<>(context);
    all.putIfAbsent("allowedCidr", "203.0.113.0/24");
    return DeploymentSettings.fromContext(all::get);
  }

  /** The "context" object of the repository's cdk.json, so tests synthesize with the same feature flags. */
  static Map<String, Object> cdkJsonContext() {
    Path cdkJson = repoRoot().resolve("cdk.json");
    try {
      JsonNode context = JSON.readTree(Files.readString(cdkJson)).path("context");
      Map<String, Object> map = new HashMap<>();
      context.fields().forEachRemaining(e -> map.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + cdkJson, e);
    }
  }

  static Path repoRoot() {
    return Path.of(System.getProperty("docsearch.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** Resources of one type, by logical id. */
  Map<String, JsonNode> resources(String type) {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    json.path("Resources").fields().forEachRemaining(e -> {
      if (type.equals(e.getValue().path("Type").asText())) {
        found.put(e.getKey(), e.getValue());
      }
    });
    return found;
  }

  /** The one resource of a type; fails when there is not exactly one. */
  JsonNode only(String type) {
    Map<String, JsonNode> found = resources(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type + ", found " + found.keySet());
    }
    return found.values().iterator().next();
  }

  String logicalIdOf(software.amazon.awscdk.CfnElement element) {
    return stack.getLogicalId(element);
  }
}
