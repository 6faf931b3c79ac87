package dev.docsearch.infra;

import java.util.List;
import java.util.Optional;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.OperatingSystemType;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SsmParameterImageOptions;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * One search host: an EC2 instance (Ubuntu 24.04 LTS, x86_64) that mounts the S3 Files file system, runs the
 * search service under systemd and runs the pipeline's reindex when told to.
 *
 * <p>No SSH key and no port 22: operators use SSM Session Manager. IMDSv2 only, encrypted gp3 root volume. The
 * instance role has the two AWS managed policies a S3 Files client on SSM needs, read access to the two jar
 * assets, and write access to the host's log group; nothing broader. The service port is open only to
 * {@code allowedCidr}, if given. The host is disposable (all state is in the bucket): a change of its user data,
 * such as new jars, replaces it.
 */
public final class SearchHost extends Construct {

  /** Canonical's public SSM parameter: the current Ubuntu 24.04 LTS amd64 AMI (no AMI lookup at synth). */
  public static final String UBUNTU_AMI_PARAMETER =
      "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
  private static final String S3FILES_CLIENT_POLICY = DeploymentContract.S3FILES_CLIENT_POLICY;
  private static final String SSM_CORE_POLICY = DeploymentContract.SSM_CORE_POLICY;

  /**
   * @param vpc               the network
   * @param subnets           subnets to run in (the first one is used)
   * @param instanceType      EC2 instance type
   * @param servicePort       TCP port of the service
   * @param allowedCidr       who may reach the service port (empty: nobody)
   * @param rootVolumeGiB     root volume size
   * @param fileSystem        the S3 Files file system to mount
   * @param key               the bucket's KMS key, or null
   * @param serviceJar        the service jar to ship
   * @param pipelineJar       the pipeline jar to ship
   * @param logGroup          where the bootstrap and reindex logs go
   * @param triggerFirstBuild whether this host starts the first build when no release exists
   */
  public record Props(IVpc vpc, SubnetSelection subnets, String instanceType, int servicePort,
      Optional<String> allowedCidr, int rootVolumeGiB, S3FilesFileSystem fileSystem, IKey key,
      ReleaseJar serviceJar, ReleaseJar pipelineJar, ILogGroup logGroup, boolean triggerFirstBuild) {
  }

  private final SecurityGroup securityGroup;
  private final Role role;
  private final Instance instance;

  public SearchHost(Construct scope, String id, Props props) {
    super(scope, id);
    securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
        .vpc(props.vpc())
        .description("docsearch search host: service port from the allowed CIDR only; no SSH (SSM instead)")
        .allowAllOutbound(true)
        .build();
    props.allowedCidr().ifPresent(cidr -> securityGroup.addIngressRule(Peer.ipv4(cidr),
        Port.tcp(props.servicePort()), "docsearch service from " + cidr));
    props.fileSystem().allowMountFrom(securityGroup);

    role = Role.Builder.create(this, "Role")
        .description("docsearch search host: S3 Files client, SSM managed instance, its jars and its logs")
        .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
        .managedPolicies(List.of(
            ManagedPolicy.fromAwsManagedPolicyName(S3FILES_CLIENT_POLICY),
            ManagedPolicy.fromAwsManagedPolicyName(SSM_CORE_POLICY)))
        .build();

    Asset serviceAsset = Asset.Builder.create(this, "ServiceJar").path(props.serviceJar().path().toString()).build();
    Asset pipelineAsset = Asset.Builder.create(this, "PipelineJar").path(props.pipelineJar().path().toString())
        .build();
    // Exactly the two asset objects; Asset.grantRead would open the whole CDK asset bucket.
    role.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .sid("ReleaseJars")
        .actions(List.of("s3:GetObject"))
        .resources(List.of(
            serviceAsset.getBucket().arnForObjects(serviceAsset.getS3ObjectKey()),
            pipelineAsset.getBucket().arnForObjects(pipelineAsset.getS3ObjectKey())))
        .build());
    props.logGroup().grantWrite(role);
    role.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("logs:DescribeLogStreams"))
        .resources(List.of(props.logGroup().getLogGroupArn()))
        .build());
    if (props.key() != null) {
      // Reads through the mount may be served from the bucket directly.
      props.key().grantDecrypt(role);
    }

    UserData userData = UserData.custom(HostBootstrapScript.render(new HostBootstrapScript.Values(
        props.fileSystem().fileSystemId(),
        Stack.of(this).getRegion(),
        serviceAsset.getS3ObjectUrl(),
        pipelineAsset.getS3ObjectUrl(),
        props.servicePort(),
        props.logGroup().getLogGroupName(),
        props.triggerFirstBuild())));

    instance = Instance.Builder.create(this, "Instance")
        .vpc(props.vpc())
        .vpcSubnets(props.subnets())
        .instanceType(new InstanceType(props.instanceType()))
        .machineImage(MachineImage.fromSsmParameter(UBUNTU_AMI_PARAMETER, SsmParameterImageOptions.builder()
            .os(OperatingSystemType.LINUX)
            .userData(userData)
            .build()))
        .userData(userData)
        .userDataCausesReplacement(true)
        .role(role)
        .securityGroup(securityGroup)
        .associatePublicIpAddress(true)
        .requireImdsv2(true)
        .blockDevices(List.of(BlockDevice.builder()
            .deviceName("/dev/sda1")
            .volume(BlockDeviceVolume.ebs(props.rootVolumeGiB(), EbsDeviceOptions.builder()
                .volumeType(EbsDeviceVolumeType.GP3)
                .encrypted(true)
                .deleteOnTermination(true)
                .build()))
            .build()))
        .build();
    // The bootstrap waits for the mount; it should not have to wait for the mount targets to exist.
    props.fileSystem().mountTargets().forEach(mountTarget -> instance.getNode().addDependency(mountTarget));

    NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
        .id("AwsSolutions-IAM4")
        .reason("S3 Files clients must have the AWS managed policy AmazonS3FilesClientFullAccess (without it the "
            + "mount fails with 'access denied by server'); AmazonSSMManagedInstanceCore is the documented minimum "
            + "for SSM Session Manager and Run Command, which replace SSH and run the weekly reindex")
        .appliesTo(List.of(
            "Policy::arn:<AWS::Partition>:iam::aws:policy/" + S3FILES_CLIENT_POLICY,
            "Policy::arn:<AWS::Partition>:iam::aws:policy/" + SSM_CORE_POLICY))
        .build()));
    NagSuppressions.addResourceSuppressions(instance, List.of(
        NagPackSuppression.builder().id("AwsSolutions-EC28")
            .reason("Basic 5-minute monitoring is enough for one search host; detailed monitoring costs extra and "
                + "nothing here scales on it")
            .build(),
        NagPackSuppression.builder().id("AwsSolutions-EC29")
            .reason("The host is disposable: all state lives in the versioned bucket, and CloudFormation replaces "
                + "the instance whenever its user data (its jars) changes, which termination protection would block")
            .build()));
  }

  public Instance instance() {
    return instance;
  }

  public String instanceId() {
    return instance.getInstanceId();
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }

  public Role role() {
    return role;
  }
}
