package dev.docsearch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CloudFormation values as text: literal strings stay, {@code Fn::Join} is joined, {@code Ref X} becomes
 * {@code {X}} and {@code Fn::GetAtt [X, A]} becomes {@code {X.A}}, so assertions can compare whole ARNs.
 */
final class TemplateText {

  private TemplateText() {
  }

  static String flatten(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.has("Ref")) {
      return "{" + value.path("Ref").asText() + "}";
    }
    if (value.has("Fn::GetAtt")) {
      return "{" + value.at("/Fn::GetAtt/0").asText() + "." + value.at("/Fn::GetAtt/1").asText() + "}";
    }
    if (value.has("Fn::Join")) {
      StringBuilder out = new StringBuilder();
      String separator = value.at("/Fn::Join/0").asText();
      JsonNode parts = value.at("/Fn::Join/1");
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          out.append(separator);
        }
        out.append(flatten(parts.get(i)));
      }
      return out.toString();
    }
    return value.toString();
  }

  /**
   * The bootstrap a host runs, from its (flattened) user data: the compressed script unpacked and the header's
   * values put into its markers, as the user data does on the host.
   */
  static String bootstrapScript(String userData) {
    int from = userData.indexOf('\n', userData.indexOf("<<'" + HostBootstrapScript.BLOB_END + "'")) + 1;
    int to = userData.indexOf("\n" + HostBootstrapScript.BLOB_END + "\n", from);
    byte[] gz = java.util.Base64.getMimeDecoder().decode(userData.substring(from, to));
    String script;
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-e 's\\|(\\{\\{[A-Z_]+}})\\|([^|]*)\\|g'")
        .matcher(userData.substring(0, from));
    while (m.find()) {
      script = script.replace(m.group(1), m.group(2));
    }
    return script;
  }

  /** The Action of a policy statement, one or a list. */
  static List<String> actions(JsonNode statement) {
    List<String> actions = new ArrayList<>();
    JsonNode a = statement.path("Action");
    if (a.isArray()) {
      a.forEach(x -> actions.add(x.asText()));
    } else {
      actions.add(a.asText());
    }
    return actions;
  }

  /** The Resource of a policy statement, each flattened. */
  static List<String> resources(JsonNode statement) {
    List<String> resources = new ArrayList<>();
    JsonNode r = statement.path("Resource");
    if (r.isArray()) {
      r.forEach(x -> resources.add(flatten(x)));
    } else if (!r.isMissingNode()) {
      resources.add(flatten(r));
    }
    return resources;
  }
}
