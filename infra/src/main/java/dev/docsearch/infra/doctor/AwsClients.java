package dev.docsearch.infra.doctor;

import java.net.URI;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AWS clients the doctor reads a deployed stack with, closed together.
 *
 * @param cloudFormation the stack's outputs and resources
 * @param s3             the bucket's versioning and encryption
 * @param iam            roles, their trust and simulated permissions
 * @param ec2            subnets and security groups
 * @param autoScaling    the serving and builder groups and their instances
 * @param loadBalancing  the health of the serving group's targets
 * @param scheduler      the weekly reindex schedule
 * @param ssm            whether the hosts are managed by SSM
 * @param s3Files        the file system and its mount targets
 */
public record AwsClients(CloudFormationClient cloudFormation, S3Client s3, IamClient iam, Ec2Client ec2,
    AutoScalingClient autoScaling, ElasticLoadBalancingV2Client loadBalancing, SchedulerClient scheduler,
    SsmClient ssm, S3FilesApi s3Files) implements AutoCloseable {

  /**
   * Clients for {@code region}.
   *
   * @param endpoints the endpoint of each service by its short name (cloudformation, s3, iam, ec2, autoscaling,
   *                  elasticloadbalancing, scheduler, ssm, s3files), or null for AWS's own endpoints; tests point
   *                  them at a loopback server
   */
  public static AwsClients create(Region region, AwsCredentialsProvider credentials,
      Function<String, URI> endpoints) {
    // IAM is global: its endpoint lives in aws-global whatever the stack's region.
    return new AwsClients(
        configure(CloudFormationClient.builder(), region, credentials, endpoints, "cloudformation").build(),
        configure(S3Client.builder(), region, credentials, endpoints, "s3")
            .forcePathStyle(endpoints != null).build(),
        configure(IamClient.builder(), endpoints == null ? iamRegion(region) : region, credentials, endpoints,
            "iam").build(),
        configure(Ec2Client.builder(), region, credentials, endpoints, "ec2").build(),
        configure(AutoScalingClient.builder(), region, credentials, endpoints, "autoscaling").build(),
        configure(ElasticLoadBalancingV2Client.builder(), region, credentials, endpoints, "elasticloadbalancing")
            .build(),
        configure(SchedulerClient.builder(), region, credentials, endpoints, "scheduler").build(),
        configure(SsmClient.builder(), region, credentials, endpoints, "ssm").build(),
        new SignedS3FilesApi(UrlConnectionHttpClient.create(), credentials, region,
            endpoints == null ? null : endpoints.apply("s3files")));
  }

  /** IAM's global endpoint is one per partition: aws-cn and aws-us-gov have their own. */
  static Region iamRegion(Region region) {
    return switch (partitionOf(region)) {
      case "aws-cn" -> Region.AWS_CN_GLOBAL;
      case "aws-us-gov" -> Region.AWS_US_GOV_GLOBAL;
      default -> Region.AWS_GLOBAL;
    };
  }

  /** The partition of a region (aws, aws-cn, aws-us-gov...), by the SDK's region metadata; aws if it has none. */
  static String partitionOf(Region region) {
    return region.metadata() == null ? "aws" : region.metadata().partition().id();
  }

  private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder,
      Region region, AwsCredentialsProvider credentials, Function<String, URI> endpoints, String service) {
    builder.region(region).credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoints != null) {
      builder.endpointOverride(endpoints.apply(service));
    }
    return builder;
  }

  @Override
  public void close() {
    cloudFormation.close();
    s3.close();
    iam.close();
    ec2.close();
    autoScaling.close();
    loadBalancing.close();
    scheduler.close();
    ssm.close();
    s3Files.close();
  }
}
