package dev.docsearch.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3files.CfnFileSystem;
import software.amazon.awscdk.services.s3files.CfnMountTarget;
import software.constructs.Construct;

/**
 * An Amazon S3 Files file system over the artifact bucket, its IAM role and its mount targets.
 *
 * <p>The role is assumed by {@code elasticfilesystem.amazonaws.com} (S3 Files is built on EFS), only on behalf
 * of file systems of this account and region. It may read and write the bucket and manage the EventBridge rules
 * S3 Files creates to notice bucket changes, whose names start with {@code DO-NOT-DELETE-S3-Files}. Without those
 * the file system never leaves "creating"; so the file system depends on the role's policy, not only on the role.
 *
 * <p>One mount target per host subnet, behind a security group that admits NFS (TCP 2049) only from the hosts.
 */
public final class S3FilesFileSystem extends Construct {

  private static final String S3FILES_RULE_PREFIX = DeploymentContract.S3FILES_RULE_PREFIX;

  /**
   * @param bucket  the versioned bucket the file system presents
   * @param key     its KMS key, or null for SSE-S3
   * @param vpc     the network of the mount targets
   * @param subnets the subnets that get a mount target (those of the hosts)
   */
  public record Props(IBucket bucket, IKey key, IVpc vpc, SubnetSelection subnets) {
  }

  private final Role role;
  private final Policy rolePolicy;
  private final CfnFileSystem fileSystem;
  private final SecurityGroup mountTargetSecurityGroup;
  private final List<CfnMountTarget> mountTargets = new ArrayList<>();

  public S3FilesFileSystem(Construct scope, String id, Props props) {
    super(scope, id);
    Stack stack = Stack.of(this);
    String account = stack.getAccount();
    String region = stack.getRegion();
    String partition = stack.getPartition();

    role = Role.Builder.create(this, "Role")
        .description("Assumed by the docsearch S3 Files file system to sync with its bucket")
        .assumedBy(new ServicePrincipal(DeploymentContract.S3FILES_SERVICE_PRINCIPAL).withConditions(Map.of(
            "StringEquals", Map.of("aws:SourceAccount", account),
            "ArnLike", Map.of("aws:SourceArn",
                "arn:" + partition + ":s3files:" + region + ":" + account + ":file-system/*"))))
        .build();

    String rules = "arn:" + partition + ":events:" + region + ":" + account + ":rule/" + S3FILES_RULE_PREFIX + "*";
    List<PolicyStatement> statements = new ArrayList<>(List.of(
        PolicyStatement.Builder.create().sid("BucketListing").effect(Effect.ALLOW)
            .actions(List.of("s3:ListBucket", "s3:ListBucketVersions"))
            .resources(List.of(props.bucket().getBucketArn())).build(),
        PolicyStatement.Builder.create().sid("BucketObjects").effect(Effect.ALLOW)
            .actions(List.of("s3:AbortMultipartUpload", "s3:DeleteObject*", "s3:GetObject*", "s3:List*",
                "s3:PutObject*"))
            .resources(List.of(props.bucket().arnForObjects("*"))).build(),
        PolicyStatement.Builder.create().sid("S3FilesEventRules").effect(Effect.ALLOW)
            .actions(DeploymentContract.S3FILES_RULE_ACTIONS)
            .resources(List.of(rules)).build(),
        // ListRules has no resource-level permissions.
        PolicyStatement.Builder.create().sid("S3FilesListRules").effect(Effect.ALLOW)
            .actions(List.of("events:ListRules"))
            .resources(List.of("*")).build()));
    if (props.key() != null) {
      statements.add(PolicyStatement.Builder.create().sid("BucketKey").effect(Effect.ALLOW)
          // What SSE-KMS reads (Decrypt) and writes (GenerateDataKey, Encrypt) need; no wildcards.
          .actions(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"))
          .resources(List.of(props.key().getKeyArn())).build());
    }
    rolePolicy = Policy.Builder.create(this, "RolePolicy")
        .statements(statements)
        .roles(List.of(role))
        .build();

    CfnFileSystem.Builder fs = CfnFileSystem.Builder.create(this, "FileSystem")
        .bucket(props.bucket().getBucketArn())
        .roleArn(role.getRoleArn());
    if (props.key() != null) {
      fs.kmsKeyId(props.key().getKeyArn());
    }
    fileSystem = fs.build();
    // Created before its permissions exist, the file system would never leave "creating".
    fileSystem.getNode().addDependency(rolePolicy);

    mountTargetSecurityGroup = SecurityGroup.Builder.create(this, "MountTargetSecurityGroup")
        .vpc(props.vpc())
        .description("docsearch S3 Files mount targets: NFS from the search hosts only")
        .allowAllOutbound(false)
        .build();

    List<ISubnet> subnets = props.vpc().selectSubnets(props.subnets()).getSubnets();
    for (int i = 0; i < subnets.size(); i++) {
      mountTargets.add(CfnMountTarget.Builder.create(this, "MountTarget" + (i + 1))
          .fileSystemId(fileSystem.getAttrFileSystemId())
          .subnetId(subnets.get(i).getSubnetId())
          .securityGroups(List.of(mountTargetSecurityGroup.getSecurityGroupId()))
          .build());
    }

    NagSuppressions.addResourceSuppressions(rolePolicy, List.of(NagPackSuppression.builder()
        .id("AwsSolutions-IAM5")
        .reason("The S3 Files prerequisites list exactly these permissions for the file system role: the object "
            + "action families on every object of its one bucket, ListRules (which has no resource-level "
            + "permissions) and the EventBridge rule actions on the rules S3 Files creates, whose names are only "
            + "known by their prefix " + S3FILES_RULE_PREFIX)
        .appliesTo(List.of(
            "Action::s3:DeleteObject*", "Action::s3:GetObject*", "Action::s3:List*", "Action::s3:PutObject*",
            RegexAppliesTo.builder().regex("/^Resource::<[A-Za-z0-9]+\\.Arn>\\/\\*$/").build(),
            RegexAppliesTo.builder().regex("/^Resource::arn:.*:events:.*:rule\\/" + S3FILES_RULE_PREFIX
                + "\\*$/").build(),
            "Resource::*"))
        .build()));
  }

  /** Lets the members of {@code hosts} mount the file system (NFS, TCP 2049). */
  public void allowMountFrom(ISecurityGroup hosts) {
    mountTargetSecurityGroup.addIngressRule(Peer.securityGroupId(hosts.getSecurityGroupId()), Port.tcp(DeploymentContract.NFS_PORT),
        "NFS from the docsearch search hosts");
  }

  public String fileSystemId() {
    return fileSystem.getAttrFileSystemId();
  }

  public CfnFileSystem fileSystem() {
    return fileSystem;
  }

  public Role role() {
    return role;
  }

  public Policy rolePolicy() {
    return rolePolicy;
  }

  public SecurityGroup mountTargetSecurityGroup() {
    return mountTargetSecurityGroup;
  }

  public List<CfnMountTarget> mountTargets() {
    return List.copyOf(mountTargets);
  }
}
