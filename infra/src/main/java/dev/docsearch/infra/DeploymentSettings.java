package dev.docsearch.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every knob of a docsearch deployment, with its default, validated once.
 *
 * <p>Read from CDK context ({@code cdk deploy -c allowedCidr=203.0.113.0/24}) by {@link #fromContext}; tests
 * build it with {@link #defaults()} and the {@code with*} methods. Invalid values fail synth with a message that
 * names the context key.
 *
 * @param allowedCidr          who may reach the service port; empty means nobody (use SSM port forwarding)
 * @param instanceType         EC2 instance type of the search host
 * @param servicePort          TCP port of the search service
 * @param reindexSchedule      EventBridge schedule expression of the weekly reindex
 * @param noncurrentVersionDays days after which non-current object versions expire
 * @param retainData           keep the bucket and log groups when the stack is deleted
 * @param useKms               encrypt the bucket with a customer managed KMS key instead of SSE-S3
 * @param existingVpc          deploy into this VPC instead of creating one
 * @param availabilityZones    explicit AZs for a new VPC (empty: the first two of the region, no lookup)
 * @param serviceJar           the service jar shipped as an asset
 * @param pipelineJar          the pipeline jar shipped as an asset
 * @param replicas             number of serving hosts behind the load balancer, 1..{@value #MAX_REPLICAS}
 * @param logRetentionDays     retention of the host's CloudWatch log group
 * @param rootVolumeGiB        size of the encrypted gp3 root volume
 * @param builderInstanceType  EC2 instance type of the builder, which embeds the corpus (CPU bound: give it cores)
 * @param certificateArn       ACM certificate for an HTTPS listener on the load balancer; empty: HTTP only
 */
public record DeploymentSettings(
    Optional<String> allowedCidr,
    String instanceType,
    int servicePort,
    String reindexSchedule,
    int noncurrentVersionDays,
    boolean retainData,
    boolean useKms,
    Optional<ExistingVpc> existingVpc,
    List<String> availabilityZones,
    Path serviceJar,
    Path pipelineJar,
    int replicas,
    int logRetentionDays,
    int rootVolumeGiB,
    String builderInstanceType,
    Optional<String> certificateArn) {

  /** More replicas than this is a different deployment (and a different bill): raise it on purpose. */
  public static final int MAX_REPLICAS = 20;
  /** Four vCPUs, compute optimised: the embedding of a full build is CPU bound (ONNX on every core). */
  public static final String DEFAULT_BUILDER_INSTANCE_TYPE = "c6i.xlarge";

  /** Sunday 03:00 UTC. */
  public static final String DEFAULT_REINDEX_SCHEDULE = "cron(0 3 ? * SUN *)";
  public static final Path DEFAULT_SERVICE_JAR = Path.of("service/target/docsearch-service.jar");
  public static final Path DEFAULT_PIPELINE_JAR = Path.of("pipeline/target/docsearch-pipeline.jar");

  private static final Pattern CIDR = Pattern.compile(
      "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)$");
  private static final Pattern INSTANCE_TYPE = Pattern.compile("^[a-z][a-z0-9-]*\\.[a-z0-9]+$");
  private static final Pattern SCHEDULE = Pattern.compile("^(cron|rate)\\(.+\\)$");
  private static final Pattern CERTIFICATE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]{36}$");

  /**
   * An existing VPC, described fully so that synth needs no lookup.
   *
   * @param vpcId             the VPC id
   * @param availabilityZones the AZs of {@code subnetIds}, in the same order
   * @param subnetIds         public subnets (route to an internet gateway) for the host and the mount targets
   */
  public record ExistingVpc(String vpcId, List<String> availabilityZones, List<String> subnetIds) {
    public ExistingVpc {
      Objects.requireNonNull(vpcId, "vpcId");
      availabilityZones = List.copyOf(availabilityZones);
      subnetIds = List.copyOf(subnetIds);
      if (!vpcId.matches("^vpc-[0-9a-f]{8,17}$")) {
        throw new IllegalArgumentException("context vpcId: not a VPC id: '" + vpcId + "'");
      }
      if (subnetIds.isEmpty() || subnetIds.size() != availabilityZones.size()) {
        throw new IllegalArgumentException("context vpcSubnetIds/vpcAvailabilityZones: need one AZ per subnet, got "
            + subnetIds.size() + " subnets and " + availabilityZones.size() + " AZs");
      }
      for (String subnet : subnetIds) {
        if (!subnet.matches("^subnet-[0-9a-f]{8,17}$")) {
          throw new IllegalArgumentException("context vpcSubnetIds: not a subnet id: '" + subnet + "'");
        }
      }
      // S3 Files takes at most one mount target per AZ, and one is made per subnet.
      if (new java.util.HashSet<>(availabilityZones).size() != availabilityZones.size()) {
        throw new IllegalArgumentException("context vpcSubnetIds/vpcAvailabilityZones: at most one subnet per AZ "
            + "(S3 Files allows one mount target per AZ), got AZs " + availabilityZones);
      }
      if (subnetIds.size() < 2) {
        throw new IllegalArgumentException("context vpcSubnetIds: the load balancer needs subnets in two AZs at "
            + "least, got " + subnetIds.size());
      }
    }
  }

  public DeploymentSettings {
    Objects.requireNonNull(allowedCidr, "allowedCidr");
    Objects.requireNonNull(existingVpc, "existingVpc");
    availabilityZones = List.copyOf(availabilityZones);
    allowedCidr.ifPresent(cidr -> {
      if (!CIDR.matcher(cidr).matches()) {
        throw new IllegalArgumentException("context allowedCidr: not an IPv4 CIDR like 203.0.113.7/32: '" + cidr + "'");
      }
    });
    if (!INSTANCE_TYPE.matcher(instanceType).matches()) {
      throw new IllegalArgumentException("context instanceType: not an EC2 instance type like t3.medium: '"
          + instanceType + "'");
    }
    requireRange("servicePort", servicePort, 1024, 65535);
    if (!SCHEDULE.matcher(reindexSchedule).matches()) {
      throw new IllegalArgumentException("context reindexSchedule: expected cron(...) or rate(...), got '"
          + reindexSchedule + "'");
    }
    requireRange("noncurrentVersionDays", noncurrentVersionDays, 1, 3650);
    requireRange("replicas", replicas, 1, MAX_REPLICAS);
    requireRange("logRetentionDays", logRetentionDays, 1, 3653);
    requireRange("rootVolumeGiB", rootVolumeGiB, 16, 1024);
    if (!INSTANCE_TYPE.matcher(builderInstanceType).matches()) {
      throw new IllegalArgumentException("context builderInstanceType: not an EC2 instance type like c6i.xlarge: '"
          + builderInstanceType + "'");
    }
    Objects.requireNonNull(certificateArn, "certificateArn");
    certificateArn.ifPresent(arn -> {
      if (!CERTIFICATE_ARN.matcher(arn).matches()) {
        throw new IllegalArgumentException("context certificateArn: not an ACM certificate ARN like "
            + "arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>: '" + arn + "'");
      }
    });
    if (availabilityZones.size() == 1) {
      throw new IllegalArgumentException("context availabilityZones: the load balancer needs two AZs at least, got "
          + availabilityZones);
    }
    if (existingVpc.isPresent() && !availabilityZones.isEmpty()) {
      throw new IllegalArgumentException(
          "context availabilityZones applies to a new VPC; with vpcId give vpcAvailabilityZones instead");
    }
  }

  /** The defaults: no inbound access, t3.medium, port 8080, Sunday 03:00 UTC, SSE-S3, data retained. */
  public static DeploymentSettings defaults() {
    return new DeploymentSettings(Optional.empty(), "t3.medium", 8080, DEFAULT_REINDEX_SCHEDULE, 30, true, false,
        Optional.empty(), List.of(), DEFAULT_SERVICE_JAR, DEFAULT_PIPELINE_JAR, 1, 30, 30,
        DEFAULT_BUILDER_INSTANCE_TYPE, Optional.empty());
  }

  /**
   * Reads settings from CDK context values; a key that is absent keeps its default.
   *
   * @param context looks up one context key, null when absent
   */
  public static DeploymentSettings fromContext(Function<String, Object> context) {
    DeploymentSettings d = defaults();
    Optional<ExistingVpc> vpc = text(context, "vpcId").map(id -> new ExistingVpc(id,
        list(context, "vpcAvailabilityZones"), list(context, "vpcSubnetIds")));
    return new DeploymentSettings(
        text(context, "allowedCidr"),
        text(context, "instanceType").orElse(d.instanceType()),
        integer(context, "servicePort", d.servicePort()),
        text(context, "reindexSchedule").orElse(d.reindexSchedule()),
        integer(context, "noncurrentVersionDays", d.noncurrentVersionDays()),
        bool(context, "retainData", d.retainData()),
        bool(context, "useKms", d.useKms()),
        vpc,
        list(context, "availabilityZones"),
        text(context, "serviceJar").map(Path::of).orElse(d.serviceJar()),
        text(context, "pipelineJar").map(Path::of).orElse(d.pipelineJar()),
        integer(context, "replicas", d.replicas()),
        integer(context, "logRetentionDays", d.logRetentionDays()),
        integer(context, "rootVolumeGiB", d.rootVolumeGiB()),
        text(context, "builderInstanceType").orElse(d.builderInstanceType()),
        text(context, "certificateArn"));
  }

  private static void requireRange(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("context " + key + ": " + value + " is outside " + min + ".." + max);
    }
  }

  private static Optional<String> text(Function<String, Object> context, String key) {
    Object value = context.apply(key);
    if (value == null) {
      return Optional.empty();
    }
    String s = value.toString().trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static int integer(Function<String, Object> context, String key, int fallback) {
    Optional<String> s = text(context, key);
    if (s.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(s.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("context " + key + ": not a whole number: '" + s.get() + "'", e);
    }
  }

  private static boolean bool(Function<String, Object> context, String key, boolean fallback) {
    Optional<String> s = text(context, key);
    if (s.isEmpty()) {
      return fallback;
    }
    return switch (s.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("context " + key + ": expected true or false, got '" + s.get()
          + "'");
    };
  }

  private static List<String> list(Function<String, Object> context, String key) {
    Object value = context.apply(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> items) {
      return items.stream().map(Object::toString).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    return java.util.Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .toList();
  }
}
