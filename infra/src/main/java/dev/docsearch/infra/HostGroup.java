package dev.docsearch.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.IStableStringProducer;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.CfnAutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.RollingUpdateOptions;
import software.amazon.awscdk.services.autoscaling.ScalingProcess;
import software.amazon.awscdk.services.autoscaling.Signals;
import software.amazon.awscdk.services.autoscaling.SignalsOptions;
import software.amazon.awscdk.services.autoscaling.UpdatePolicy;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.OperatingSystemType;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SsmParameterImageOptions;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * A group of docsearch hosts (Ubuntu 24.04 LTS, x86_64): an Auto Scaling group over a launch template, whose hosts
 * mount the S3 Files file system and either serve releases or build them ({@link HostBootstrapScript.Role}).
 *
 * <p>Serving: exactly {@code capacity} hosts (min = desired = capacity, max one more so that a rolling update can add
 * a host before it removes one). Each host signals CloudFormation from its bootstrap once {@code /health} is ok; the
 * group's CreationPolicy and rolling update wait for the signals, so a host that cannot mount, gets a placeholder
 * jar or whose service does not come up fails the deploy. Replacement is one host at a time with every other host in
 * service.
 *
 * <p>Builder: 0..1 hosts, 0 at rest. Something sets the desired capacity to 1 (the weekly schedule, the
 * ReindexNowCommand, or a serving host that finds no release); the builder runs one reindex and sets its own
 * group back to 0, the only Auto Scaling permission it has.
 *
 * <p>Both: no SSH key and no port 22 (SSM Session Manager instead), IMDSv2 only with instance tags readable, an
 * encrypted gp3 root volume, and a role with the two AWS managed policies an S3 Files client on SSM needs, read access
 * to the artifact bucket (S3 Files reads large files straight from S3, and turns that off when the probe is denied),
 * read access to exactly the two jar assets, and write access to the host log group (bootstrap, reindex and the mount
 * helper's logs). Hosts are disposable: all state is in the bucket.
 */
public final class HostGroup extends Construct {

  /** Canonical's public SSM parameter: the current Ubuntu 24.04 LTS amd64 AMI (no AMI lookup at synth). */
  public static final String UBUNTU_AMI_PARAMETER =
      "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
  /** How long CloudFormation waits for a serving host's signal: boot, packages, mount, service start, warm-up. */
  public static final Duration SIGNAL_TIMEOUT = Duration.minutes(20);
  private static final String S3FILES_CLIENT_POLICY = DeploymentContract.S3FILES_CLIENT_POLICY;
  private static final String SSM_CORE_POLICY = DeploymentContract.SSM_CORE_POLICY;

  /**
   * @param role          serving or builder
   * @param vpc           the network
   * @param subnets       subnets to run in (the group spreads over their AZs)
   * @param instanceType  EC2 instance type
   * @param capacity      serving: the number of hosts; ignored for the builder (0..1)
   * @param servicePort   TCP port of the service
   * @param rootVolumeGiB root volume size
   * @param fileSystem    the S3 Files file system to mount
   * @param bucket        the bucket behind it (direct reads)
   * @param key           the bucket's KMS key, or null
   * @param serviceJar    the service jar to ship
   * @param pipelineJar   the pipeline jar to ship
   * @param logGroup      where the bootstrap, reindex and mount helper logs go
   * @param builder       serving only: the builder group a serving host starts when no release exists; else null
   */
  public record Props(HostBootstrapScript.Role role, IVpc vpc, SubnetSelection subnets, String instanceType,
      int capacity, int servicePort, int rootVolumeGiB, S3FilesFileSystem fileSystem, IBucket bucket, IKey key,
      ReleaseJar serviceJar, ReleaseJar pipelineJar, ILogGroup logGroup, HostGroup builder) {
  }

  private final HostBootstrapScript.Role hostRole;
  private final SecurityGroup securityGroup;
  private final Role role;
  private final LaunchTemplate launchTemplate;
  private final AutoScalingGroup group;
  private String bootstrap;

  public HostGroup(Construct scope, String id, Props props) {
    super(scope, id);
    hostRole = props.role();
    boolean serving = hostRole == HostBootstrapScript.Role.SERVING;
    Stack stack = Stack.of(this);

    securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
        .vpc(props.vpc())
        .description(serving
            ? "docsearch serving hosts: the service port from the load balancer only; no SSH (SSM instead)"
            : "docsearch builder: no inbound traffic; no SSH (SSM instead)")
        .allowAllOutbound(true)
        .build();
    props.fileSystem().allowMountFrom(securityGroup);

    role = Role.Builder.create(this, "Role")
        .description(serving
            ? "docsearch serving host: S3 Files client with direct reads, SSM, its jars, its logs, its signal"
            : "docsearch builder: S3 Files client with direct reads, SSM, its jars, its logs, its own scale-in")
        .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
        .managedPolicies(List.of(
            ManagedPolicy.fromAwsManagedPolicyName(S3FILES_CLIENT_POLICY),
            ManagedPolicy.fromAwsManagedPolicyName(SSM_CORE_POLICY)))
        .build();
    // S3 Files direct reads: GetObject/GetObjectVersion on the objects and ListBucket on the bucket (else a
    // missing key is a 403, which turns direct reads off). Reads only: every write goes through the mount, whose
    // file system role writes the bucket. With SSE-KMS the grant includes kms:Decrypt on the key.
    props.bucket().grantRead(role);

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
    // The CloudWatch agent looks up its streams; efs-utils creates "its" log group first (it exists: a no-op).
    role.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .sid("HostLogGroup")
        .actions(List.of("logs:DescribeLogStreams", "logs:CreateLogGroup"))
        .resources(List.of(props.logGroup().getLogGroupArn()))
        .build());
    if (props.key() != null) {
      props.key().grantDecrypt(role);
    }

    // Rendered lazily, at synth: a serving host's script names its own group's logical id, known only once the
    // group exists, and the group needs the launch template first.
    UserData userData = UserData.custom(Lazy.string(new IStableStringProducer() {
      @Override
      public String produce() {
        return bootstrap;
      }
    }));
    launchTemplate = LaunchTemplate.Builder.create(this, "LaunchTemplate")
        .instanceType(new InstanceType(props.instanceType()))
        .machineImage(MachineImage.fromSsmParameter(UBUNTU_AMI_PARAMETER, SsmParameterImageOptions.builder()
            .os(OperatingSystemType.LINUX)
            .build()))
        .userData(userData)
        .role(role)
        .securityGroup(securityGroup)
        .associatePublicIpAddress(true)
        .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
        .instanceMetadataTags(true)
        .blockDevices(List.of(BlockDevice.builder()
            .deviceName("/dev/sda1")
            .volume(BlockDeviceVolume.ebs(props.rootVolumeGiB(), EbsDeviceOptions.builder()
                .volumeType(EbsDeviceVolumeType.GP3)
                .encrypted(true)
                .deleteOnTermination(true)
                .build()))
            .build()))
        .build();

    AutoScalingGroup.Builder asg = AutoScalingGroup.Builder.create(this, "Group")
        .vpc(props.vpc())
        .vpcSubnets(props.subnets())
        .launchTemplate(launchTemplate);
    if (serving) {
      int n = props.capacity();
      asg.minCapacity(n)
          .desiredCapacity(n)
          .maxCapacity(n + 1)
          .signals(Signals.waitForMinCapacity(SignalsOptions.builder().timeout(SIGNAL_TIMEOUT).build()))
          .updatePolicy(UpdatePolicy.rollingUpdate(RollingUpdateOptions.builder()
              .maxBatchSize(1)
              .minInstancesInService(n)
              .minSuccessPercentage(100)
              .waitOnResourceSignals(true)
              .pauseTime(SIGNAL_TIMEOUT)
              .suspendProcesses(List.of(ScalingProcess.HEALTH_CHECK, ScalingProcess.REPLACE_UNHEALTHY,
                  ScalingProcess.AZ_REBALANCE, ScalingProcess.ALARM_NOTIFICATION,
                  ScalingProcess.SCHEDULED_ACTIONS))
              .build()));
    } else {
      // No desiredCapacity: CloudFormation would reset it on every deploy and start (or stop) a build.
      asg.minCapacity(0).maxCapacity(1);
    }
    group = asg.build();
    String signalResource = "";
    if (serving) {
      // The signal carries the group's logical id as a literal (not a Ref), so the user data does not depend on
      // the group that uses it.
      signalResource = stack.getLogicalId((CfnElement) group.getNode().getDefaultChild());
      Annotations.of(group).acknowledgeWarning("@aws-cdk/aws-autoscaling:desiredCapacitySet",
          "replicas is the serving group's size: each deploy sets it, and nothing else scales the group");
    }
    // The bootstrap waits for the mount; it should not have to wait for the mount targets to exist.
    props.fileSystem().mountTargets().forEach(mountTarget -> group.getNode().addDependency(mountTarget));

    bootstrap = HostBootstrapScript.render(new HostBootstrapScript.Values(hostRole,
        props.fileSystem().fileSystemId(), stack.getRegion(), serviceAsset.getS3ObjectUrl(),
        pipelineAsset.getS3ObjectUrl(), props.servicePort(), props.logGroup().getLogGroupName(),
        stack.getStackName(), signalResource, serving ? props.builder().groupName() : ""));

    if (serving) {
      // cloudformation:SignalResource on this stack (AWS::StackId) comes with the group's signals (CDK adds it).
      props.builder().allowScalingBy(role, "StartFirstBuild");
    } else {
      // A separate policy: the group depends on the role's default policy, and this one names the group.
      allowScalingBy(role, "OwnScaleIn");
    }

    suppressFindings();
  }

  /** Lets {@code principal} set this group's desired capacity (start or end a build), and nothing else. */
  void allowScalingBy(Role principal, String sid) {
    Policy policy = Policy.Builder.create(this, sid + "Policy")
        .statements(List.of(setDesiredCapacity().sid(sid).build()))
        .build();
    policy.attachToRole(principal);
    suppressGroupArnWildcard(policy, false);
  }

  /** A statement allowing autoscaling:SetDesiredCapacity on this group and on nothing else. */
  PolicyStatement.Builder setDesiredCapacity() {
    return PolicyStatement.Builder.create()
        .actions(List.of("autoscaling:SetDesiredCapacity"))
        .resources(List.of(group.getAutoScalingGroupArn()));
  }

  /**
   * Tells cdk-nag why a {@link #setDesiredCapacity()} statement has a wildcard: the group's ARN holds a UUID
   * that the template cannot know.
   */
  static void suppressGroupArnWildcard(IConstruct resource, boolean withChildren) {
    NagSuppressions.addResourceSuppressions(resource, List.of(NagPackSuppression.builder()
        .id("AwsSolutions-IAM5")
        .reason("An Auto Scaling group ARN holds a generated UUID that the template cannot know; the statement names "
            + "the group by its name and allows only SetDesiredCapacity on it")
        .appliesTo(List.of(RegexAppliesTo.builder()
            .regex("/^Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:\\*"
                + ":autoScalingGroupName\\/<.*>$/").build()))
        .build()), withChildren);
  }

  private void suppressFindings() {
    NagSuppressions.addResourceSuppressions(role, List.of(
        NagPackSuppression.builder()
            .id("AwsSolutions-IAM4")
            .reason("S3 Files clients must have the AWS managed policy AmazonS3FilesClientFullAccess (without it the "
                + "mount fails with 'access denied by server'); AmazonSSMManagedInstanceCore is the documented "
                + "minimum for SSM Session Manager, which replaces SSH")
            .appliesTo(List.of(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/" + S3FILES_CLIENT_POLICY,
                "Policy::arn:<AWS::Partition>:iam::aws:policy/" + SSM_CORE_POLICY))
            .build(),
        NagPackSuppression.builder()
            .id("AwsSolutions-IAM5")
            .reason("Bucket.grantRead: S3 Files direct reads need GetObject* on every object of the one artifact "
                + "bucket and List*/GetBucket* on it")
            .appliesTo(List.of("Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
                RegexAppliesTo.builder().regex("/^Resource::<[A-Za-z0-9]+\\.Arn>\\/\\*$/").build()))
            .build()), true);
    NagSuppressions.addResourceSuppressions(group, List.of(NagPackSuppression.builder()
        .id("AwsSolutions-AS3")
        .reason("The group's scaling events are deploys (recorded as CloudFormation stack events) and, for the "
            + "builder, the schedule starting it and the builder ending itself (in the host log group); an SNS "
            + "topic nobody subscribes to would add nothing")
        .build()), true);
  }

  public HostBootstrapScript.Role hostRole() {
    return hostRole;
  }

  public AutoScalingGroup group() {
    return group;
  }

  public String groupName() {
    return group.getAutoScalingGroupName();
  }

  public CfnAutoScalingGroup cfnGroup() {
    return (CfnAutoScalingGroup) group.getNode().getDefaultChild();
  }

  public LaunchTemplate launchTemplate() {
    return launchTemplate;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }

  public Role role() {
    return role;
  }

  /** The user data text; a field because the launch template reads it lazily. */
  public String bootstrap() {
    return bootstrap;
  }
}
