package dev.docsearch.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.RedirectOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.constructs.Construct;

/**
 * The Application Load Balancer in front of the serving group.
 *
 * <p>Its security group admits the listener ports from {@code allowedCidr} only (nothing without it) and may only
 * reach the hosts' service port; the hosts admit that port from this security group only. HTTPS on 443 with the
 * given ACM certificate (port 80 then redirects to it), else HTTP on 80. The target group checks {@code /health}
 * (200 only: a host without a verified release gets no traffic) and drains a host for {@value #DRAIN_SECONDS} s,
 * longer than the service's 10 s request deadline, so a rolling replacement drops no request. {@code /metrics}
 * answers 404 here too, a second guard: the hosts serve it only on a loopback management listener
 * ({@code METRICS_PORT=9100} in {@code docsearch.service}), for the operator on the host, not for the internet.
 */
public final class SearchLoadBalancer extends Construct {

  /** Deregistration delay: longer than a request may take (the service's 10 s deadline), short for rolling. */
  public static final int DRAIN_SECONDS = 15;
  public static final int HTTP_PORT = 80;
  public static final int HTTPS_PORT = 443;

  /**
   * @param vpc            the network
   * @param subnets        public subnets, two AZs at least
   * @param allowedCidr    who may reach the listeners (empty: nobody)
   * @param certificateArn ACM certificate for HTTPS (empty: HTTP)
   * @param servicePort    the hosts' service port
   * @param serving        the serving group
   */
  public record Props(IVpc vpc, SubnetSelection subnets, Optional<String> allowedCidr,
      Optional<String> certificateArn, int servicePort, HostGroup serving) {
  }

  private final SecurityGroup securityGroup;
  private final ApplicationLoadBalancer loadBalancer;
  private final ApplicationTargetGroup targetGroup;
  private final ApplicationListener listener;
  private final boolean https;

  public SearchLoadBalancer(Construct scope, String id, Props props) {
    super(scope, id);
    https = props.certificateArn().isPresent();
    int listenerPort = https ? HTTPS_PORT : HTTP_PORT;

    securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
        .vpc(props.vpc())
        .description("docsearch load balancer: " + (https ? "HTTPS (and HTTP redirect)" : "HTTP")
            + " from the allowed CIDR only")
        .allowAllOutbound(false)
        .build();
    props.allowedCidr().ifPresent(cidr -> {
      securityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(listenerPort), "docsearch from " + cidr);
      if (https) {
        securityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(HTTP_PORT), "redirect to HTTPS for " + cidr);
      }
    });

    loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
        .vpc(props.vpc())
        .vpcSubnets(props.subnets())
        .internetFacing(true)
        .securityGroup(securityGroup)
        .dropInvalidHeaderFields(true)
        .build();
    // Access logs need the region at synth (for the log delivery principal), and this stack is environment-
    // agnostic so that synth needs no account; each host's service keeps its own access log instead.
    NagSuppressions.addResourceSuppressions(loadBalancer, List.of(NagPackSuppression.builder()
        .id("AwsSolutions-ELB2")
        .reason("ELBv2 access logging needs the stack's region at synth and this stack is environment-agnostic "
            + "(cdk synth without an account); every request is in the access log of the host that served it")
        .build()));

    targetGroup = ApplicationTargetGroup.Builder.create(this, "Hosts")
        .vpc(props.vpc())
        .targetType(TargetType.INSTANCE)
        .protocol(ApplicationProtocol.HTTP)
        .port(props.servicePort())
        .targets(List.of(props.serving().group()))
        .deregistrationDelay(Duration.seconds(DRAIN_SECONDS))
        .healthCheck(HealthCheck.builder()
            .path("/health")
            .healthyHttpCodes("200")
            .interval(Duration.seconds(10))
            .timeout(Duration.seconds(5))
            .healthyThresholdCount(2)
            .unhealthyThresholdCount(3)
            .build())
        .build();

    if (https) {
      listener = loadBalancer.addListener("Https", software.amazon.awscdk.services.elasticloadbalancingv2
          .BaseApplicationListenerProps.builder()
          .port(HTTPS_PORT)
          .protocol(ApplicationProtocol.HTTPS)
          .certificates(List.of(ListenerCertificate.fromArn(props.certificateArn().get())))
          .sslPolicy(SslPolicy.RECOMMENDED_TLS)
          .open(false)
          .defaultTargetGroups(List.of(targetGroup))
          .build());
      loadBalancer.addListener("HttpRedirect", software.amazon.awscdk.services.elasticloadbalancingv2
          .BaseApplicationListenerProps.builder()
          .port(HTTP_PORT)
          .protocol(ApplicationProtocol.HTTP)
          .open(false)
          .defaultAction(ListenerAction.redirect(RedirectOptions.builder()
              .protocol("HTTPS").port(Integer.toString(HTTPS_PORT)).permanent(true).build()))
          .build());
    } else {
      listener = loadBalancer.addListener("Http", software.amazon.awscdk.services.elasticloadbalancingv2
          .BaseApplicationListenerProps.builder()
          .port(HTTP_PORT)
          .protocol(ApplicationProtocol.HTTP)
          .open(false)
          .defaultTargetGroups(List.of(targetGroup))
          .build());
    }
    ApplicationListenerRule.Builder.create(this, "NoMetrics")
        .listener(listener)
        .priority(1)
        .conditions(List.of(ListenerCondition.pathPatterns(List.of("/metrics", "/metrics/*"))))
        .action(ListenerAction.fixedResponse(404, FixedResponseOptions.builder()
            .contentType("application/json")
            .messageBody("{\"error\":\"not found\"}")
            .build()))
        .build();
  }

  /** The URL users open: the load balancer's DNS name, https when a certificate was given. */
  public String url() {
    return (https ? "https://" : "http://") + loadBalancer.getLoadBalancerDnsName() + "/";
  }

  public ApplicationLoadBalancer loadBalancer() {
    return loadBalancer;
  }

  public ApplicationTargetGroup targetGroup() {
    return targetGroup;
  }

  public ApplicationListener listener() {
    return listener;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }
}
