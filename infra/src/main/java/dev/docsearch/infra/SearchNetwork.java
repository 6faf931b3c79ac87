package dev.docsearch.infra;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Where the search hosts and the file system's mount targets live: a new VPC with one public subnet per
 * availability zone and no NAT gateway (the host needs the internet for packages and for crawling; a NAT
 * gateway would cost more than the host), or an existing VPC described by ids.
 *
 * <p>Either way synth needs no lookup: the new VPC uses explicit availability zones or, without them, the first
 * two of the region through {@code Fn::GetAZs}; the existing one is given with its subnets and their zones.
 */
public final class SearchNetwork extends Construct {

  /**
   * @param existingVpc       use this VPC instead of creating one (null: create)
   * @param availabilityZones explicit zones for a new VPC (empty: the first two of the region)
   * @param logRetention      retention of the VPC flow log (rejected traffic) of a new VPC
   * @param retainData        keep the flow log group when the stack is deleted
   */
  public record Props(DeploymentSettings.ExistingVpc existingVpc, List<String> availabilityZones,
      RetentionDays logRetention, boolean retainData) {
  }

  private final IVpc vpc;
  private final SubnetSelection hostSubnets;

  public SearchNetwork(Construct scope, String id, Props props) {
    super(scope, id);
    if (props.existingVpc() != null) {
      DeploymentSettings.ExistingVpc existing = props.existingVpc();
      vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder()
          .vpcId(existing.vpcId())
          .availabilityZones(existing.availabilityZones())
          .publicSubnetIds(existing.subnetIds())
          .build());
    } else {
      Vpc.Builder created = Vpc.Builder.create(this, "Vpc")
          .ipAddresses(IpAddresses.cidr("10.42.0.0/16"))
          .natGateways(0)
          .subnetConfiguration(List.of(SubnetConfiguration.builder()
              .name("hosts").subnetType(SubnetType.PUBLIC).cidrMask(24).build()));
      if (props.availabilityZones().isEmpty()) {
        created.maxAzs(2);
      } else {
        created.availabilityZones(props.availabilityZones());
      }
      Vpc newVpc = created.build();
      LogGroup flowLogs = LogGroup.Builder.create(this, "RejectedTrafficLog")
          .retention(props.logRetention())
          .removalPolicy(props.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
          .build();
      newVpc.addFlowLog("RejectedTraffic", FlowLogOptions.builder()
          .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
          .trafficType(FlowLogTrafficType.REJECT)
          .build());
      vpc = newVpc;
    }
    hostSubnets = SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build();
  }

  public IVpc vpc() {
    return vpc;
  }

  /** The subnets the hosts run in; the file system gets a mount target in each. */
  public SubnetSelection hostSubnets() {
    return hostSubnets;
  }
}
