package dev.docsearch.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
  public static final List<String> EMBEDDED_FILES = List.of("docsearch.service", "docsearch-reindex.service",
      "reindex", "cloudwatch-agent.json", "cloudwatch-prometheus.json", "docsearch-prometheus.yaml",
      "docsearch-builder.service", "build-once", "pinned-downloads");

  /** What a host does: serve releases (read-only mount) or build them (read-write mount). */
  public enum Role {
    SERVING, BUILDER;

    String marker() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** EC2 refuses user data above 16 KB (before base64). */
  public static final int USER_DATA_LIMIT_BYTES = 16 * 1024;

  private static final String RESOURCE_DIR = "/dev/docsearch/infra/host/";
  private static final Pattern MARKER = Pattern.compile("\\{\\{([A-Z_]+|FILE:[A-Za-z0-9._-]+)}}");

  /**
   * The values the bootstrap needs.
   *
   * @param role           serving or builder
   * @param fileSystemId   S3 Files file system id (fs-...)
   * @param region         AWS region of the stack
   * @param serviceJarUrl  s3:// URL of the service jar asset
   * @param pipelineJarUrl s3:// URL of the pipeline jar asset
   * @param servicePort    the service's TCP port
   * @param logGroupName   CloudWatch log group for the bootstrap, reindex and mount helper logs
   * @param stackName      the stack a serving host signals its readiness to
   * @param signalResource logical id of the serving group (the resource the signal is for); empty for the builder
   * @param builderGroup   name of the builder's group, which a serving host starts when no release exists yet;
   *                       empty for the builder (it reads its own group from its instance tags)
   */
  public record Values(Role role, String fileSystemId, String region, String serviceJarUrl, String pipelineJarUrl,
      int servicePort, String logGroupName, String stackName, String signalResource, String builderGroup) {
    public Values {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(stackName, "stackName");
      Objects.requireNonNull(signalResource, "signalResource");
      Objects.requireNonNull(builderGroup, "builderGroup");
      if (role == Role.SERVING && (signalResource.isEmpty() || builderGroup.isEmpty())) {
        throw new IllegalArgumentException("a serving host needs the resource to signal and the builder's group");
      }
      Objects.requireNonNull(fileSystemId, "fileSystemId");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(serviceJarUrl, "serviceJarUrl");
      Objects.requireNonNull(pipelineJarUrl, "pipelineJarUrl");
      Objects.requireNonNull(logGroupName, "logGroupName");
    }

    static final List<String> MARKERS = List.of("FS_ID", "AWS_REGION", "SERVICE_JAR_URL", "PIPELINE_JAR_URL",
        "SERVICE_PORT", "LOG_GROUP", "HOST_ROLE", "STACK_NAME", "SIGNAL_RESOURCE", "BUILDER_GROUP");

    Map<String, String> byMarker() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("FS_ID", fileSystemId);
      m.put("AWS_REGION", region);
      m.put("SERVICE_JAR_URL", serviceJarUrl);
      m.put("PIPELINE_JAR_URL", pipelineJarUrl);
      m.put("SERVICE_PORT", Integer.toString(servicePort));
      m.put("LOG_GROUP", logGroupName);
      m.put("HOST_ROLE", role.marker());
      m.put("STACK_NAME", stackName);
      m.put("SIGNAL_RESOURCE", signalResource);
      m.put("BUILDER_GROUP", builderGroup);
      return m;
    }
  }

  private HostBootstrapScript() {
  }

  /** Ends the heredoc that carries the compressed script in the user data. */
  static final String BLOB_END = "DOCSEARCH_BOOTSTRAP";

  /**
   * The user data: a few lines that unpack the compressed bootstrap (gzip, base64), put the stack's values into its
   * markers and run it. Compressed because the plain script with its embedded files is larger than EC2's 16 KB;
   * the values stay outside the compressed part because they are CloudFormation tokens, filled in at deploy time.
   */
  public static String render(Values values) {
    Map<String, String> byMarker = values.byMarker();
    byMarker.forEach((marker, value) -> {
      // Values land inside a single-quoted sed expression with | as delimiter, then inside single quotes.
      if (value.matches("(?s).*['\n|&\\\\].*") || value.contains("{{")) {
        throw new IllegalArgumentException("bootstrap value " + marker + " may not contain quotes, newlines, |, &, "
            + "backslashes or {{: " + value);
      }
    });
    String compressed = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(gzip(script()));
    StringBuilder sed = new StringBuilder();
    byMarker.forEach((marker, value) -> sed.append(" -e 's|{{").append(marker).append("}}|").append(value)
        .append("|g'"));
    return "#!/bin/bash\n"
        + "set -euo pipefail\n"
        + "dir=\"${ROOT_PREFIX:-}/var/lib/docsearch\"\n"
        + "install -d -m 0700 \"$dir\"\n"
        + "base64 -d <<'" + BLOB_END + "' | gunzip -c | sed" + sed + " >\"$dir/bootstrap.sh\"\n"
        + compressed + "\n"
        + BLOB_END + "\n"
        + "exec bash \"$dir/bootstrap.sh\" \"$@\"\n";
  }

  /**
   * The bootstrap with its files embedded and its comments dropped, value markers left in place: what the user
   * data carries compressed.
   */
  static String script() {
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
    Matcher unknown = MARKER.matcher(script);
    while (unknown.find()) {
      if (!Values.MARKERS.contains(unknown.group(1))) {
        throw new IllegalStateException("bootstrap.sh has a marker with no value: " + unknown.group());
      }
    }
    return withoutComments(script);
  }

  private static byte[] gzip(String text) {
    // GZIPOutputStream writes no file name and mtime 0: the same script gives the same bytes (stable templates).
    try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes) {
          {
            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
          }
        }) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /**
   * The names of the entries of {@code pinned-downloads} that have no SHA-256 yet: a host downloads them unchecked
   * (and logs their SHA-256), so the stack warns at synth.
   */
  public static List<String> unpinnedDownloads() {
    return resource("pinned-downloads").lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> line.split("\\s+"))
        .filter(fields -> fields.length != 3 || !fields[1].matches("[0-9a-f]{64}"))
        .map(fields -> fields[0])
        .toList();
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
