package dev.docsearch.infra;

import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * docsearch on AWS, in one stack: the artifact bucket, the S3 Files file system over it, the network, the serving
 * group behind a load balancer, the builder and the weekly schedule that starts it, with outputs that say how to
 * reach and operate it.
 *
 * <p>The same shape for every {@code replicas}: the serving group is an Auto Scaling group of exactly that many
 * hosts, so going from 1 to N (or back) is a change of the group's size, with no resource replaced and the
 * bucket, file system and their logical ids untouched.
 *
 * <p>Environment-agnostic and lookup-free, so {@code cdk synth} needs no account, credentials or network.
 */
public final class DocsearchStack extends Stack {

  private static final String STORAGE_ID = DeploymentContract.STORAGE_ID;
  private static final String FILES_ID = DeploymentContract.FILES_ID;
  private static final String HOST_ID = DeploymentContract.HOST_ID;
  private static final String BUILDER_ID = DeploymentContract.BUILDER_ID;
  private static final String REINDEX_ID = DeploymentContract.REINDEX_ID;
  private static final String LOAD_BALANCER_ID = DeploymentContract.LOAD_BALANCER_ID;

  private final ArtifactStorage storage;
  private final S3FilesFileSystem files;
  private final HostGroup serving;
  private final HostGroup builder;
  private final SearchLoadBalancer loadBalancer;
  private final WeeklyReindex reindex;
  private final LogGroup hostLogs;

  public DocsearchStack(Construct scope, String id, StackProps props, DeploymentSettings settings) {
    super(scope, id, props);
    RetentionDays retention = retention(settings.logRetentionDays());

    storage = new ArtifactStorage(this, STORAGE_ID, new ArtifactStorage.Props(
        settings.noncurrentVersionDays(), settings.retainData(), settings.useKms()));
    SearchNetwork network = new SearchNetwork(this, "Network", new SearchNetwork.Props(
        settings.existingVpc().orElse(null), settings.availabilityZones(), retention, settings.retainData()));
    files = new S3FilesFileSystem(this, FILES_ID, new S3FilesFileSystem.Props(
        storage.bucket(), storage.key().orElse(null), network.vpc(), network.hostSubnets()));

    hostLogs = LogGroup.Builder.create(this, "HostLogs")
        .retention(retention)
        .removalPolicy(settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .build();

    ReleaseJar serviceJar = ReleaseJar.resolve(settings.serviceJar());
    ReleaseJar pipelineJar = ReleaseJar.resolve(settings.pipelineJar());
    for (ReleaseJar jar : new ReleaseJar[] {serviceJar, pipelineJar}) {
      if (jar.placeholder()) {
        Annotations.of(this).addWarningV2("docsearch:placeholder-jar", jar.name() + " is not built (looked at "
            + (jar == serviceJar ? settings.serviceJar() : settings.pipelineJar())
            + "); the stack ships a placeholder that the host refuses. Run `mvn -B package` before cdk deploy.");
      }
    }
    List<String> unpinned = HostBootstrapScript.unpinnedDownloads();
    if (!unpinned.isEmpty()) {
      Annotations.of(this).addWarningV2("docsearch:unpinned-download", "scripts/host/pinned-downloads has no "
          + "SHA-256 for " + unpinned + "; hosts download them over HTTPS unchecked (and log their SHA-256) until "
          + "they are pinned");
    }

    builder = new HostGroup(this, BUILDER_ID, new HostGroup.Props(HostBootstrapScript.Role.BUILDER, network.vpc(),
        network.hostSubnets(), settings.builderInstanceType(), 0, settings.servicePort(), settings.rootVolumeGiB(),
        files, storage.bucket(), storage.key().orElse(null), serviceJar, pipelineJar, hostLogs, null));
    serving = new HostGroup(this, HOST_ID, new HostGroup.Props(HostBootstrapScript.Role.SERVING, network.vpc(),
        network.hostSubnets(), settings.instanceType(), settings.replicas(), settings.servicePort(),
        settings.rootVolumeGiB(), files, storage.bucket(), storage.key().orElse(null), serviceJar, pipelineJar,
        hostLogs, builder));
    loadBalancer = new SearchLoadBalancer(this, LOAD_BALANCER_ID, new SearchLoadBalancer.Props(network.vpc(),
        network.hostSubnets(), settings.allowedCidr(), settings.certificateArn(), settings.servicePort(), serving));

    reindex = new WeeklyReindex(this, REINDEX_ID, new WeeklyReindex.Props(builder, settings.reindexSchedule()));

    outputs(settings);
  }

  private void outputs(DeploymentSettings settings) {
    String region = getRegion();
    String port = Integer.toString(settings.servicePort());
    // Any serving host: sessions and port forwarding go to one instance, which SSM needs by id.
    String anyServingHost = "$(aws autoscaling describe-auto-scaling-groups --region " + region
        + " --auto-scaling-group-names " + serving.groupName()
        + " --query 'AutoScalingGroups[0].Instances[0].InstanceId' --output text)";
    output("ServiceUrl", loadBalancer.url(),
        settings.allowedCidr().map(cidr -> "The search UI and API, through the load balancer (reachable from " + cidr
            + ")").orElse("The search UI and API; no CIDR is allowed in (-c allowedCidr=...), use PortForwardCommand"));
    output("BucketName", storage.bucket().getBucketName(), "Versioned bucket behind the S3 Files file system");
    output("FileSystemId", files.fileSystemId(), "S3 Files file system mounted at /mnt/artifacts on every host");
    output("ServingGroupName", serving.groupName(), "Auto Scaling group of the serving hosts ("
        + settings.replicas() + ")");
    output("BuilderGroupName", builder.groupName(), "Auto Scaling group of the builder (0 at rest, 1 while building)");
    output("LogGroupName", hostLogs.getLogGroupName(), "Bootstrap, reindex and mount helper logs of every host");
    output("SessionCommand", "aws ssm start-session --region " + region + " --target " + anyServingHost,
        "Open a shell on a serving host (SSM Session Manager; no SSH)");
    output("PortForwardCommand", "aws ssm start-session --region " + region + " --target " + anyServingHost
        + " --document-name AWS-StartPortForwardingSession --parameters '{\"portNumber\":[\"" + port
        + "\"],\"localPortNumber\":[\"" + port + "\"]}'",
        "Reach one serving host at http://localhost:" + port + "/ through SSM, from anywhere");
    output("ReindexNowCommand", "aws autoscaling set-desired-capacity --region " + region
        + " --auto-scaling-group-name " + builder.groupName() + " --desired-capacity 1",
        "Start a reindex now: starts the builder, which builds, publishes and scales itself back to 0 (the weekly "
            + "schedule does the same)");
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  private static RetentionDays retention(int days) {
    return switch (days) {
      case 1 -> RetentionDays.ONE_DAY;
      case 3 -> RetentionDays.THREE_DAYS;
      case 5 -> RetentionDays.FIVE_DAYS;
      case 7 -> RetentionDays.ONE_WEEK;
      case 14 -> RetentionDays.TWO_WEEKS;
      case 30 -> RetentionDays.ONE_MONTH;
      case 60 -> RetentionDays.TWO_MONTHS;
      case 90 -> RetentionDays.THREE_MONTHS;
      case 180 -> RetentionDays.SIX_MONTHS;
      case 365 -> RetentionDays.ONE_YEAR;
      default -> throw new IllegalArgumentException("context logRetentionDays: use one of 1, 3, 5, 7, 14, 30, 60, "
          + "90, 180, 365 (got " + days + ")");
    };
  }

  public ArtifactStorage storage() {
    return storage;
  }

  public S3FilesFileSystem files() {
    return files;
  }

  public HostGroup serving() {
    return serving;
  }

  public HostGroup builder() {
    return builder;
  }

  public SearchLoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public WeeklyReindex reindex() {
    return reindex;
  }
}
