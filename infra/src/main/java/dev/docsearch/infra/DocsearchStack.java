package dev.docsearch.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * docsearch on AWS, in one stack: the artifact bucket, the S3 Files file system over it, the network, the search
 * host and the weekly reindex, with outputs that say how to reach and operate it.
 *
 * <p>Environment-agnostic and lookup-free, so {@code cdk synth} needs no account, credentials or network.
 */
public final class DocsearchStack extends Stack {

  private static final String STORAGE_ID = DeploymentContract.STORAGE_ID;
  private static final String FILES_ID = DeploymentContract.FILES_ID;
  private static final String HOST_ID = DeploymentContract.HOST_ID;
  private static final String REINDEX_ID = DeploymentContract.REINDEX_ID;

  private final ArtifactStorage storage;
  private final S3FilesFileSystem files;
  private final SearchHost host;
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

    // replicas > 1 waits for the load balancer; DeploymentSettings allows exactly one host for now.
    host = new SearchHost(this, HOST_ID, new SearchHost.Props(network.vpc(), network.hostSubnets(),
        settings.instanceType(), settings.servicePort(), settings.allowedCidr(), settings.rootVolumeGiB(), files,
        storage.key().orElse(null), serviceJar, pipelineJar, hostLogs, true));

    reindex = new WeeklyReindex(this, REINDEX_ID, new WeeklyReindex.Props(host.instanceId(),
        settings.reindexSchedule()));

    outputs(settings);
  }

  private void outputs(DeploymentSettings settings) {
    String instanceId = host.instanceId();
    String region = getRegion();
    String port = Integer.toString(settings.servicePort());
    output("ServiceUrl", "http://" + host.instance().getInstancePublicDnsName() + ":" + port + "/",
        settings.allowedCidr().map(cidr -> "The search UI and API (reachable from " + cidr + ")")
            .orElse("The search UI and API; no CIDR is allowed in (-c allowedCidr=...), use PortForwardCommand"));
    output("BucketName", storage.bucket().getBucketName(), "Versioned bucket behind the S3 Files file system");
    output("FileSystemId", files.fileSystemId(), "S3 Files file system mounted at /mnt/artifacts on the host");
    output("InstanceId", instanceId, "The search host");
    output("LogGroupName", hostLogs.getLogGroupName(), "Bootstrap and reindex logs of the host");
    output("SessionCommand", "aws ssm start-session --region " + region + " --target " + instanceId,
        "Open a shell on the search host (SSM Session Manager; no SSH)");
    output("PortForwardCommand", "aws ssm start-session --region " + region + " --target " + instanceId
        + " --document-name AWS-StartPortForwardingSession --parameters '{\"portNumber\":[\"" + port
        + "\"],\"localPortNumber\":[\"" + port + "\"]}'",
        "Reach the service at http://localhost:" + port + "/ through SSM, from anywhere");
    output("ReindexNowCommand", "aws ssm send-command --region " + region + " --instance-ids " + instanceId
        + " --document-name " + WeeklyReindex.DOCUMENT + " --comment 'docsearch reindex now'"
        + " --parameters '{\"commands\":[\"" + WeeklyReindex.COMMAND + "\"],\"executionTimeout\":[\""
        + WeeklyReindex.EXECUTION_TIMEOUT_SECONDS + "\"]}'"
        + " --cloud-watch-output-config CloudWatchOutputEnabled=true,CloudWatchLogGroupName="
        + hostLogs.getLogGroupName(),
        "Start a reindex now (the weekly rule runs the same command)");
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

  public SearchHost host() {
    return host;
  }

  public WeeklyReindex reindex() {
    return reindex;
  }
}
