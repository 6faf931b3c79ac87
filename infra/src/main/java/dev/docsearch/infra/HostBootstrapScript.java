package dev.docsearch.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code scripts/host/bootstrap.sh}, the search host's user data, with the stack's values.
 *
 * <p>The script is a real shell script (shellcheck reads it, a test runs it against stub commands); rendering only
 * replaces its {@code {{NAME}}} markers with values and its {@code {{FILE:name}}} markers with the other files of
 * {@code scripts/host} (systemd units, the reindex command, the CloudWatch agent config), so the user data is one
 * self-contained script. Values may be CDK tokens: CloudFormation fills them in at deploy time.
 */
public final class HostBootstrapScript {

  /** Files of scripts/host that the bootstrap embeds. */
  public static final List<String> EMBEDDED_FILES =
      List.of("docsearch.service", "docsearch-reindex.service", "reindex", "cloudwatch-agent.json");

  /** EC2 refuses user data above 16 KB (before base64). */
  public static final int USER_DATA_LIMIT_BYTES = 16 * 1024;

  private static final String RESOURCE_DIR = "/dev/docsearch/infra/host/";
  private static final Pattern MARKER = Pattern.compile("\\{\\{([A-Z_]+|FILE:[A-Za-z0-9._-]+)}}");

  /**
   * The values the bootstrap needs.
   *
   * @param fileSystemId      S3 Files file system id (fs-...)
   * @param region            AWS region of the stack
   * @param serviceJarUrl     s3:// URL of the service jar asset
   * @param pipelineJarUrl    s3:// URL of the pipeline jar asset
   * @param servicePort       the service's TCP port
   * @param logGroupName      CloudWatch log group for the bootstrap and reindex logs
   * @param triggerFirstBuild whether this host starts the first build when no release exists
   */
  public record Values(String fileSystemId, String region, String serviceJarUrl, String pipelineJarUrl,
      int servicePort, String logGroupName, boolean triggerFirstBuild) {
    public Values {
      Objects.requireNonNull(fileSystemId, "fileSystemId");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(serviceJarUrl, "serviceJarUrl");
      Objects.requireNonNull(pipelineJarUrl, "pipelineJarUrl");
      Objects.requireNonNull(logGroupName, "logGroupName");
    }

    Map<String, String> byMarker() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("FS_ID", fileSystemId);
      m.put("AWS_REGION", region);
      m.put("SERVICE_JAR_URL", serviceJarUrl);
      m.put("PIPELINE_JAR_URL", pipelineJarUrl);
      m.put("SERVICE_PORT", Integer.toString(servicePort));
      m.put("LOG_GROUP", logGroupName);
      m.put("TRIGGER_FIRST_BUILD", Boolean.toString(triggerFirstBuild));
      return m;
    }
  }

  private HostBootstrapScript() {
  }

  /** The rendered script. */
  public static String render(Values values) {
    Map<String, String> byMarker = values.byMarker();
    byMarker.forEach((marker, value) -> {
      // Values land inside single quotes and heredocs: a quote or a newline would change the script.
      if (value.contains("'") || value.contains("\n") || value.contains("{{")) {
        throw new IllegalArgumentException("bootstrap value " + marker + " may not contain quotes, newlines or {{: "
            + value);
      }
    });
    String script = replace(resource("bootstrap.sh"), name -> {
      if (name.startsWith("FILE:")) {
        String file = name.substring("FILE:".length());
        if (!EMBEDDED_FILES.contains(file)) {
          throw new IllegalStateException("bootstrap.sh embeds an unknown file: " + file);
        }
        return resource(file).stripTrailing();
      }
      return null;
    });
    String rendered = replace(script, name -> {
      String value = byMarker.get(name);
      if (value == null) {
        throw new IllegalStateException("bootstrap.sh has a marker with no value: {{" + name + "}}");
      }
      return value;
    });
    return withoutComments(rendered);
  }

  /**
   * Drops comment-only and blank lines (shebangs, also those of embedded scripts, stay): the comments are for readers of scripts/host, and
   * EC2 caps user data at 16 KB. Safe because no heredoc or string in these files holds a line starting with #.
   */
  static String withoutComments(String script) {
    StringBuilder out = new StringBuilder(script.length());
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      boolean keep = trimmed.startsWith("#!") || !(trimmed.isEmpty() || trimmed.startsWith("#"));
      if (keep) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String replace(String text, java.util.function.Function<String, String> valueOf) {
    Matcher m = MARKER.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 4096);
    while (m.find()) {
      String value = valueOf.apply(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A file of scripts/host, from the classpath (the infra build copies the directory there). */
  public static String resource(String name) {
    try (InputStream in = HostBootstrapScript.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("scripts/host/" + name + " is not on the classpath (" + RESOURCE_DIR + name
            + "); build the infra module with Maven");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scripts/host/" + name, e);
    }
  }
}
