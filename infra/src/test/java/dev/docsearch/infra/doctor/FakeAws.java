package dev.docsearch.infra.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A loopback stand-in for the AWS APIs the doctor calls, answering in each API's real wire format: XML for the
 * query APIs (CloudFormation, IAM, EC2, Auto Scaling, Elastic Load Balancing v2) and S3, JSON 1.1 for SSM, REST JSON
 * for S3 Files and EventBridge Scheduler. So the SDK clients run their real serialisation, and every request's SigV4
 * signature is verified independently.
 *
 * <p>It holds one deployed docsearch stack of today's shape, healthy by default: three serving hosts behind the
 * load balancer in two subnets (two zones), each with a mount target, the builder at rest and the weekly schedule
 * enabled. Tests break it through the fields. ListStackResources and DescribeInstanceInformation answer in small
 * pages, so a caller that does not follow NextToken misses resources.
 */
final class FakeAws implements AutoCloseable {

  static final String ACCESS_KEY = "AKIDFAKEDOCTOR000001";
  static final String SECRET_KEY = "fake/secret/for/the/loopback/fake/0000001";
  static final String ACCOUNT = "123456789012";
  static final String REGION = "eu-west-1";
  static final String STACK = "Docsearch";
  static final String STACK_ID = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + STACK
      + "/7e1c0a80-0000-11f0-8000-0a1b2c3d4e5f";
  static final String BUCKET = "docsearch-storagebucket5cb7c8ea-1a2b3c4d5e6f";
  static final String FS_ID = "fs-0123456789abcdef01";
  static final String FS_ROLE = "Docsearch-FilesRoleE6C0D184-Ab12Cd34Ef56";
  static final String SERVING_ROLE = "Docsearch-SearchHostRoleE5629E97-Gh78Ij90Kl12";
  static final String BUILDER_ROLE = "Docsearch-BuilderRole50DE68B6-St12Uv34Wx56";
  static final String SERVING_GROUP = "Docsearch-SearchHostGroupASGFBF20D8F-1A2B3C4D5E6F";
  static final String BUILDER_GROUP = "Docsearch-BuilderGroupASG57F1AB5E-7G8H9I0J1K2L";
  static final String LOG_GROUP = "Docsearch-HostLogs22B13AD2-Mn34Op56Qr78";
  static final String SERVING_SG = "sg-0aaaa1111bbbb2222";
  static final String BUILDER_SG = "sg-0eeee5555ffff6666";
  static final String MOUNT_SG = "sg-0cccc3333dddd4444";
  static final String TARGET_GROUP = "arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT
      + ":targetgroup/Docsea-LoadB-1A2B3C4D5E6F/0123456789abcdef";
  static final String SCHEDULE = "Docsearch-WeeklyReindexSchedule378C8395-Yz12Ab34Cd56";
  static final String SCHEDULE_ROLE = "Docsearch-WeeklyReindexRole770EC536-Ef78Gh90Ij12";
  static final String START_BUILDER = "arn:aws:scheduler:::aws-sdk:autoscaling:setDesiredCapacity";
  static final String SUBNET_A = "subnet-0aaa1111bbb22222c";
  static final String SUBNET_B = "subnet-0ddd3333eee44444f";
  static final String SERVING_1 = "i-0a1b2c3d4e5f60001";
  static final String SERVING_2 = "i-0a1b2c3d4e5f60002";
  static final String SERVING_3 = "i-0a1b2c3d4e5f60003";
  static final String BUILDER_1 = "i-0f9e8d7c6b5a40001";
  static final String BUILDER_2 = "i-0f9e8d7c6b5a40002";

  /** An instance of an Auto Scaling group: its id, subnet, lifecycle state and health status. */
  record Host(String id, String subnet, String lifecycle, String health) {
    static Host inService(String id, String subnet) {
      return new Host(id, subnet, "InService", "Healthy");
    }
  }

  // The stack's state; healthy unless a test changes it.
  volatile boolean stackExists = true;
  volatile String versioning = "Enabled";
  volatile String sseAlgorithm = "AES256";
  volatile String fileSystemRolePrincipal = "elasticfilesystem.amazonaws.com";
  volatile boolean trustConditions = true;
  /** Actions IAM's simulation denies, by role name. */
  final Map<String, Set<String>> deniedActions = new ConcurrentHashMap<>();
  /** AWS managed policies attached, by role name. */
  final Map<String, List<String>> attachedPolicies = new ConcurrentHashMap<>(Map.of(
      SERVING_ROLE, hostPolicies(), BUILDER_ROLE, hostPolicies()));
  volatile String fileSystemStatus = "available";
  volatile String fileSystemBucket = BUCKET;
  volatile String mountTargetStatus = "available";
  /** The subnets that have a mount target. */
  final List<String> mountTargetSubnets = Collections.synchronizedList(new ArrayList<>(List.of(SUBNET_A,
      SUBNET_B)));
  /** The security groups the mount targets' security group admits NFS from. */
  final Set<String> nfsFrom = Collections.synchronizedSet(new HashSet<>(Set.of(SERVING_SG, BUILDER_SG)));
  volatile int servingDesired = 3;
  final List<Host> servingHosts = Collections.synchronizedList(new ArrayList<>(List.of(
      Host.inService(SERVING_1, SUBNET_A), Host.inService(SERVING_2, SUBNET_B), Host.inService(SERVING_3, SUBNET_A))));
  volatile int builderDesired = 0;
  volatile int builderMax = 1;
  final List<Host> builderHosts = Collections.synchronizedList(new ArrayList<>());
  /** The serving host whose health check fails (503), or null. */
  volatile String unhealthyTarget;
  /** The serving host the load balancer is draining (a rolling update), or null. */
  volatile String drainingTarget;
  /** Status code and message of the builder group's latest scaling activity. */
  volatile String builderActivity = "Successful";
  volatile String builderActivityMessage = "";
  /** SSM ping status by instance, for those not Online; "" for an instance SSM does not know. */
  final Map<String, String> pingStatus = new ConcurrentHashMap<>();
  volatile boolean scheduleExists = true;
  volatile String scheduleState = "ENABLED";
  volatile String scheduleTargetArn = START_BUILDER;
  volatile String scheduleInputGroup = BUILDER_GROUP;

  /** "service operation" of every request, in order. */
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  /** Requests whose signature did not verify, and requests the fake does not know. */
  final List<String> signatureProblems = Collections.synchronizedList(new ArrayList<>());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STACK_RESOURCES_PAGE = 5;
  private static final int INSTANCE_INFORMATION_PAGE = 2;

  /** One loopback server per service: the SDK clients ignore an endpoint's path for some protocols. */
  private final Map<String, HttpServer> servers = new LinkedHashMap<>();
  private final SigV4Verifier verifier = new SigV4Verifier(ACCESS_KEY, SECRET_KEY);

  FakeAws() throws IOException {
    listen("cloudformation", this::cloudFormation);
    listen("iam", this::iam);
    listen("ec2", this::ec2);
    listen("autoscaling", this::autoScaling);
    listen("elasticloadbalancing", this::loadBalancing);
    listen("scheduler", this::scheduler);
    listen("s3files", this::s3Files);
    listen("s3", this::s3);
    listen("ssm", this::ssm);
  }

  private static List<String> hostPolicies() {
    return Collections.synchronizedList(new ArrayList<>(List.of("AmazonS3FilesClientFullAccess",
        "AmazonSSMManagedInstanceCore")));
  }

  /** Makes IAM's simulation deny {@code actions} to {@code role}. */
  void deny(String role, String... actions) {
    deniedActions.computeIfAbsent(role, r -> Collections.synchronizedSet(new HashSet<>())).addAll(List.of(actions));
  }

  private void listen(String service, Handler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", e -> serve(e, service, handler));
    server.start();
    servers.put(service, server);
  }

  /** The endpoint of one service. */
  URI endpoint(String service) {
    return URI.create("http://127.0.0.1:" + servers.get(service).getAddress().getPort());
  }

  /** The doctor's --endpoint options for every service. */
  List<String> endpointOptions() {
    List<String> options = new ArrayList<>();
    servers.keySet().forEach(service -> {
      options.add("--endpoint");
      options.add(service + "=" + endpoint(service));
    });
    return options;
  }

  @Override
  public void close() {
    servers.values().forEach(server -> server.stop(0));
  }

  /** A response: status, content type, body, extra headers. */
  record Reply(int status, String contentType, String body, Map<String, String> headers) {
    static Reply xml(String body) {
      return new Reply(200, "text/xml", body, Map.of());
    }

    static Reply json(String contentType, String body) {
      return new Reply(200, contentType, body, Map.of());
    }
  }

  /** A handler of one request: exchange and body to reply. */
  interface Handler {
    Reply handle(HttpExchange exchange, String body) throws IOException;
  }

  private void serve(HttpExchange exchange, String service, Handler handler) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String problem = verifier.problem(exchange, body, service, REGION);
      Reply reply;
      if (problem != null) {
        signatureProblems.add(service + " " + exchange.getRequestURI() + ": " + problem);
        reply = new Reply(403, "application/json", "{\"message\":\"SignatureDoesNotMatch\"}", Map.of());
      } else {
        reply = handler.handle(exchange, new String(body, StandardCharsets.UTF_8));
      }
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-request-" + requests.size());
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        exchange.getResponseBody().write(out);
      }
    } catch (RuntimeException e) {
      signatureProblems.add(service + ": fake failed: " + e);
      throw e;
    }
  }

  // ---- query APIs -------------------------------------------------------------------------------------------

  private static Map<String, String> form(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static List<String> members(Map<String, String> params, String prefix) {
    List<String> values = new ArrayList<>();
    for (int i = 1; params.containsKey(prefix + i); i++) {
      values.add(params.get(prefix + i));
    }
    return values;
  }

  /** One page of {@code items} from the position NextToken names, and the token of the next page ("" if none). */
  private static <T> String page(List<T> items, String nextToken, int size, Function<List<T>, String> render,
      Function<String, String> renderToken) {
    int from = nextToken == null || nextToken.isEmpty() ? 0 : Integer.parseInt(nextToken);
    int to = Math.min(items.size(), from + size);
    return render.apply(items.subList(from, to)) + (to < items.size() ? renderToken.apply(Integer.toString(to)) : "");
  }

  private Reply cloudFormation(HttpExchange exchange, String body) {
    Map<String, String> params = form(body);
    String action = params.get("Action");
    requests.add("cloudformation " + action);
    String ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    if (!stackExists || !STACK.equals(params.get("StackName"))) {
      return new Reply(400, "text/xml", "<ErrorResponse xmlns=\"" + ns + "\"><Error><Type>Sender</Type>"
          + "<Code>ValidationError</Code><Message>Stack with id " + params.get("StackName") + " does not exist"
          + "</Message></Error><RequestId>fake</RequestId></ErrorResponse>", Map.of());
    }
    if (action.equals("DescribeStacks")) {
      StringBuilder outputs = new StringBuilder();
      Map<String, String> values = new LinkedHashMap<>();
      values.put("ServiceUrl", "http://Docsea-LoadB-1A2B3C4D5E6F-1234567890.eu-west-1.elb.amazonaws.com/");
      values.put("BucketName", BUCKET);
      values.put("FileSystemId", FS_ID);
      values.put("ServingGroupName", SERVING_GROUP);
      values.put("BuilderGroupName", BUILDER_GROUP);
      values.put("LogGroupName", LOG_GROUP);
      values.put("ReindexNowCommand", "aws autoscaling set-desired-capacity --region " + REGION
          + " --auto-scaling-group-name " + BUILDER_GROUP + " --desired-capacity 1");
      values.forEach((k, v) -> outputs.append("<member><OutputKey>").append(k).append("</OutputKey><OutputValue>")
          .append(v).append("</OutputValue></member>"));
      return Reply.xml("<DescribeStacksResponse xmlns=\"" + ns + "\"><DescribeStacksResult><Stacks><member>"
          + "<StackId>" + STACK_ID + "</StackId><StackName>" + STACK + "</StackName>"
          + "<CreationTime>2026-11-01T10:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>"
          + "<Outputs>" + outputs + "</Outputs></member></Stacks></DescribeStacksResult>"
          + "<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeStacksResponse>");
    }
    if (action.equals("ListStackResources")) {
      // Logical ids as the synthesized template has them (DoctorFindsTheSynthesizedStackTest keeps the doctor
      // honest about that); the look-alikes (a policy beside each role, an ingress beside a security group) are
      // there so that a match by prefix without the type would pick the wrong one.
      List<String[]> resources = List.of(
          new String[] {"StorageAccessLogs96FB524C", "docsearch-storageaccesslogs-0f9e8d7c6b5a", "AWS::S3::Bucket"},
          new String[] {"StorageBucket5CB7C8EA", BUCKET, "AWS::S3::Bucket"},
          new String[] {"FilesRolePolicy208ACD8C", "Docs-Files-1A2B3C4D5E6F", "AWS::IAM::Policy"},
          new String[] {"FilesRoleE6C0D184", FS_ROLE, "AWS::IAM::Role"},
          new String[] {"FilesFileSystem8770F8A4", FS_ID, "AWS::S3Files::FileSystem"},
          new String[] {"FilesMountTargetSecurityGroup0D4B4923", MOUNT_SG, "AWS::EC2::SecurityGroup"},
          new String[] {"HostLogs22B13AD2", LOG_GROUP, "AWS::Logs::LogGroup"},
          new String[] {"BuilderSecurityGroup16608031", BUILDER_SG, "AWS::EC2::SecurityGroup"},
          new String[] {"BuilderRoleDefaultPolicy5040CB6E", "Docsearch-BuilderRoleDefault", "AWS::IAM::Policy"},
          new String[] {"BuilderRole50DE68B6", BUILDER_ROLE, "AWS::IAM::Role"},
          new String[] {"BuilderGroupASG57F1AB5E", BUILDER_GROUP, "AWS::AutoScaling::AutoScalingGroup"},
          new String[] {"SearchHostSecurityGroupfromDocsearchLoadBalancerSecurityGroup3822CEDE8080DD66136E",
              "sgr-0fake0000000001", "AWS::EC2::SecurityGroupIngress"},
          new String[] {"SearchHostSecurityGroup9DB2E97C", SERVING_SG, "AWS::EC2::SecurityGroup"},
          new String[] {"SearchHostRoleDefaultPolicyAB9F0A7B", "Docsearch-SearchHostRoleDefault", "AWS::IAM::Policy"},
          new String[] {"SearchHostRoleE5629E97", SERVING_ROLE, "AWS::IAM::Role"},
          new String[] {"SearchHostGroupASGFBF20D8F", SERVING_GROUP, "AWS::AutoScaling::AutoScalingGroup"},
          new String[] {"LoadBalancer8E47CE52", "arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT
              + ":loadbalancer/app/Docsea-LoadB-1A2B3C4D5E6F/0123456789abcdef",
              "AWS::ElasticLoadBalancingV2::LoadBalancer"},
          new String[] {"LoadBalancerHostsBD689181", TARGET_GROUP, "AWS::ElasticLoadBalancingV2::TargetGroup"},
          new String[] {"WeeklyReindexRole770EC536", SCHEDULE_ROLE, "AWS::IAM::Role"},
          new String[] {"WeeklyReindexSchedule378C8395", SCHEDULE, "AWS::Scheduler::Schedule"});
      String result = page(resources, params.get("NextToken"), STACK_RESOURCES_PAGE, rs -> {
        StringBuilder members = new StringBuilder();
        for (String[] r : rs) {
          members.append("<member><LogicalResourceId>").append(r[0]).append("</LogicalResourceId>")
              .append("<PhysicalResourceId>").append(r[1]).append("</PhysicalResourceId><ResourceType>").append(r[2])
              .append("</ResourceType><LastUpdatedTimestamp>2026-11-01T10:05:00.000Z</LastUpdatedTimestamp>")
              .append("<ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>");
        }
        return "<StackResourceSummaries>" + members + "</StackResourceSummaries>";
      }, token -> "<NextToken>" + token + "</NextToken>");
      return Reply.xml("<ListStackResourcesResponse xmlns=\"" + ns + "\"><ListStackResourcesResult>" + result
          + "</ListStackResourcesResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>"
          + "</ListStackResourcesResponse>");
    }
    throw new IllegalStateException("cloudformation " + action);
  }

  private Reply iam(HttpExchange exchange, String body) {
    Map<String, String> params = form(body);
    String action = params.get("Action");
    requests.add("iam " + action);
    String ns = "https://iam.amazonaws.com/doc/2010-05-08/";
    String meta = "<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>";
    switch (action) {
      case "GetRole" -> {
        String name = params.get("RoleName");
        String trust = name.equals(FS_ROLE) ? fileSystemTrust() : "{\"Version\":\"2012-10-17\",\"Statement\":[{"
            + "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        return Reply.xml("<GetRoleResponse xmlns=\"" + ns + "\"><GetRoleResult><Role><Path>/</Path>"
            + "<RoleName>" + name + "</RoleName><RoleId>AROAFAKE0000000000001</RoleId>"
            + "<Arn>" + roleArn(name) + "</Arn>"
            + "<CreateDate>2026-11-01T10:01:00Z</CreateDate>"
            + "<AssumeRolePolicyDocument>" + URLEncoder.encode(trust, StandardCharsets.UTF_8).replace("+", "%20")
            + "</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration></Role></GetRoleResult>"
            + meta + "</GetRoleResponse>");
      }
      case "ListAttachedRolePolicies" -> {
        StringBuilder members = new StringBuilder();
        List<String> policies = attachedPolicies.getOrDefault(params.get("RoleName"), List.of());
        synchronized (policies) {
          policies.forEach(p -> members.append("<member><PolicyName>").append(p).append("</PolicyName>")
              .append("<PolicyArn>arn:aws:iam::aws:policy/").append(p).append("</PolicyArn></member>"));
        }
        return Reply.xml("<ListAttachedRolePoliciesResponse xmlns=\"" + ns + "\"><ListAttachedRolePoliciesResult>"
            + "<AttachedPolicies>" + members + "</AttachedPolicies><IsTruncated>false</IsTruncated>"
            + "</ListAttachedRolePoliciesResult>" + meta + "</ListAttachedRolePoliciesResponse>");
      }
      case "SimulatePrincipalPolicy" -> {
        String source = params.get("PolicySourceArn");
        String role = source.substring(source.lastIndexOf('/') + 1);
        Set<String> denied = deniedActions.getOrDefault(role, Set.of());
        StringBuilder results = new StringBuilder();
        List<String> resourcesArns = members(params, "ResourceArns.member.");
        for (String a : members(params, "ActionNames.member.")) {
          String decision = denied.contains(a) ? "implicitDeny" : "allowed";
          results.append("<member><EvalActionName>").append(a).append("</EvalActionName><EvalResourceName>")
              .append(resourcesArns.isEmpty() ? "*" : resourcesArns.get(0)).append("</EvalResourceName>")
              .append("<EvalDecision>").append(decision).append("</EvalDecision><MatchedStatements/>")
              .append("<MissingContextValues/></member>");
        }
        return Reply.xml("<SimulatePrincipalPolicyResponse xmlns=\"" + ns + "\"><SimulatePrincipalPolicyResult>"
            + "<IsTruncated>false</IsTruncated><EvaluationResults>" + results + "</EvaluationResults>"
            + "</SimulatePrincipalPolicyResult>" + meta + "</SimulatePrincipalPolicyResponse>");
      }
      default -> throw new IllegalStateException("iam " + action);
    }
  }

  private static String roleArn(String name) {
    return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
  }

  private String fileSystemTrust() {
    String condition = trustConditions
        ? ",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"" + ACCOUNT + "\"},\"ArnLike\":{"
            + "\"aws:SourceArn\":\"arn:aws:s3files:" + REGION + ":" + ACCOUNT + ":file-system/*\"}}"
        : "";
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
        + fileSystemRolePrincipal + "\"},\"Action\":\"sts:AssumeRole\"" + condition + "}]}";
  }

  private static String zoneOf(String subnet) {
    return REGION + (subnet.equals(SUBNET_A) ? "a" : subnet.equals(SUBNET_B) ? "b" : "c");
  }

  private Reply ec2(HttpExchange exchange, String body) {
    Map<String, String> params = form(body);
    String action = params.get("Action");
    requests.add("ec2 " + action);
    String ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    if (action.equals("DescribeSubnets")) {
      StringBuilder subnets = new StringBuilder();
      for (String id : members(params, "SubnetId.")) {
        String zone = zoneOf(id);
        subnets.append("<item><subnetId>").append(id).append("</subnetId><subnetArn>arn:aws:ec2:").append(REGION)
            .append(':').append(ACCOUNT).append(":subnet/").append(id).append("</subnetArn><state>available</state>")
            .append("<vpcId>vpc-0abc12345def67890</vpcId><cidrBlock>10.42.").append(zone.endsWith("a") ? 0 : 1)
            .append(".0/24</cidrBlock><availableIpAddressCount>250</availableIpAddressCount><availabilityZone>")
            .append(zone).append("</availabilityZone><availabilityZoneId>euw1-az").append(zone.charAt(zone.length() - 1)
                - 'a' + 1).append("</availabilityZoneId><defaultForAz>false</defaultForAz>")
            .append("<mapPublicIpOnLaunch>false</mapPublicIpOnLaunch><ownerId>").append(ACCOUNT)
            .append("</ownerId></item>");
      }
      return Reply.xml("<DescribeSubnetsResponse xmlns=\"" + ns + "\"><requestId>fake</requestId><subnetSet>"
          + subnets + "</subnetSet></DescribeSubnetsResponse>");
    }
    if (action.equals("DescribeSecurityGroups")) {
      StringBuilder groups = new StringBuilder();
      for (String id : members(params, "GroupId.")) {
        StringBuilder permissions = new StringBuilder();
        if (id.equals(MOUNT_SG)) {
          synchronized (nfsFrom) {
            nfsFrom.stream().sorted().forEach(source -> permissions.append("<item><ipProtocol>tcp</ipProtocol>")
                .append("<fromPort>2049</fromPort><toPort>2049</toPort><groups><item><userId>").append(ACCOUNT)
                .append("</userId><groupId>").append(source).append("</groupId></item></groups><ipRanges/>")
                .append("<ipv6Ranges/><prefixListIds/></item>"));
          }
        }
        groups.append("<item><ownerId>").append(ACCOUNT).append("</ownerId><groupId>").append(id)
            .append("</groupId><groupName>").append(id).append("-name</groupName><groupDescription>fake")
            .append("</groupDescription><vpcId>vpc-0abc12345def67890</vpcId><ipPermissions>").append(permissions)
            .append("</ipPermissions><ipPermissionsEgress/></item>");
      }
      return Reply.xml("<DescribeSecurityGroupsResponse xmlns=\"" + ns + "\"><requestId>fake</requestId>"
          + "<securityGroupInfo>" + groups + "</securityGroupInfo></DescribeSecurityGroupsResponse>");
    }
    throw new IllegalStateException("ec2 " + action);
  }

  private Reply autoScaling(HttpExchange exchange, String body) {
    Map<String, String> params = form(body);
    String action = params.get("Action");
    requests.add("autoscaling " + action);
    if (action.equals("DescribeScalingActivities")) {
      return scalingActivities(params.get("AutoScalingGroupName"));
    }
    if (!action.equals("DescribeAutoScalingGroups")) {
      throw new IllegalStateException("autoscaling " + action);
    }
    StringBuilder groups = new StringBuilder();
    for (String name : members(params, "AutoScalingGroupNames.member.")) {
      if (name.equals(SERVING_GROUP)) {
        groups.append(autoScalingGroup(name, "SearchHost", servingDesired, servingDesired, servingDesired + 1,
            servingHosts, "<member>" + TARGET_GROUP + "</member>"));
      } else if (name.equals(BUILDER_GROUP)) {
        groups.append(autoScalingGroup(name, "Builder", builderDesired, 0, builderMax, builderHosts, ""));
      }
    }
    return Reply.xml("<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
        + "<DescribeAutoScalingGroupsResult><AutoScalingGroups>" + groups + "</AutoScalingGroups>"
        + "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>"
        + "</DescribeAutoScalingGroupsResponse>");
  }

  private Reply scalingActivities(String group) {
    String activity = !BUILDER_GROUP.equals(group) ? "" : "<member><ActivityId>5f1e0000-0000-4000-8000-0000000000a1"
        + "</ActivityId><AutoScalingGroupName>" + group + "</AutoScalingGroupName><Description>Launching a new EC2 "
        + "instance</Description><Cause>At 2026-11-29T03:00:00Z a user request update of AutoScalingGroup constraints "
        + "to min: 0, max: 1, desired: 1 changing the desired capacity from 0 to 1.</Cause><StartTime>"
        + "2026-11-29T03:00:05.000Z</StartTime><StatusCode>" + builderActivity + "</StatusCode><StatusMessage>"
        + builderActivityMessage + "</StatusMessage><Progress>100</Progress></member>";
    return Reply.xml("<DescribeScalingActivitiesResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
        + "<DescribeScalingActivitiesResult><Activities>" + activity + "</Activities></DescribeScalingActivitiesResult>"
        + "<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeScalingActivitiesResponse>");
  }

  private static String autoScalingGroup(String name, String template, int desired, int min, int max,
      List<Host> hosts, String targetGroups) {
    String launchTemplate = "<LaunchTemplate><LaunchTemplateId>lt-0fake" + template.length() + "000000001"
        + "</LaunchTemplateId><LaunchTemplateName>Docsearch" + template + "LaunchTemplate</LaunchTemplateName>"
        + "<Version>3</Version></LaunchTemplate>";
    StringBuilder instances = new StringBuilder();
    synchronized (hosts) {
      for (Host h : hosts) {
        instances.append("<member><InstanceId>").append(h.id()).append("</InstanceId><InstanceType>c6i.large")
            .append("</InstanceType><AvailabilityZone>").append(zoneOf(h.subnet())).append("</AvailabilityZone>")
            .append("<LifecycleState>").append(h.lifecycle()).append("</LifecycleState><HealthStatus>")
            .append(h.health()).append("</HealthStatus>").append(launchTemplate)
            .append("<ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>");
      }
    }
    return "<member><AutoScalingGroupName>" + name + "</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:"
        + REGION + ":" + ACCOUNT + ":autoScalingGroup:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b:autoScalingGroupName/"
        + name + "</AutoScalingGroupARN>" + launchTemplate + "<MinSize>" + min + "</MinSize><MaxSize>" + max
        + "</MaxSize><DesiredCapacity>" + desired + "</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>"
        + "<AvailabilityZones><member>" + REGION + "a</member><member>" + REGION + "b</member></AvailabilityZones>"
        + "<LoadBalancerNames/><TargetGroupARNs>" + targetGroups + "</TargetGroupARNs>"
        + "<HealthCheckType>EC2</HealthCheckType><HealthCheckGracePeriod>0</HealthCheckGracePeriod>"
        + "<Instances>" + instances + "</Instances><CreatedTime>2026-11-01T10:10:00.000Z</CreatedTime>"
        + "<SuspendedProcesses/><VPCZoneIdentifier>" + SUBNET_A + "," + SUBNET_B + "</VPCZoneIdentifier>"
        + "<EnabledMetrics/><Tags/><TerminationPolicies><member>Default</member></TerminationPolicies>"
        + "<NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn><ServiceLinkedRoleARN>"
        + "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
        + "</ServiceLinkedRoleARN><CapacityRebalance>false</CapacityRebalance></member>";
  }

  private Reply loadBalancing(HttpExchange exchange, String body) {
    Map<String, String> params = form(body);
    String action = params.get("Action");
    requests.add("elasticloadbalancing " + action);
    String ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    if (!action.equals("DescribeTargetHealth")) {
      throw new IllegalStateException("elasticloadbalancing " + action);
    }
    if (!TARGET_GROUP.equals(params.get("TargetGroupArn"))) {
      return new Reply(400, "text/xml", "<ErrorResponse xmlns=\"" + ns + "\"><Error><Type>Sender</Type>"
          + "<Code>TargetGroupNotFound</Code><Message>One or more target groups not found</Message></Error>"
          + "<RequestId>fake</RequestId></ErrorResponse>", Map.of());
    }
    StringBuilder targets = new StringBuilder();
    synchronized (servingHosts) {
      for (Host h : servingHosts) {
        String health = h.id().equals(unhealthyTarget)
            ? "<State>unhealthy</State><Reason>Target.ResponseCodeMismatch</Reason><Description>Health checks failed "
                + "with these codes: [503]</Description>"
            : h.id().equals(drainingTarget)
                ? "<State>draining</State><Reason>Target.DeregistrationInProgress</Reason><Description>Target "
                    + "deregistration is in progress</Description>"
                : "<State>healthy</State>";
        targets.append("<member><HealthCheckPort>8080</HealthCheckPort><Target><Id>").append(h.id())
            .append("</Id><Port>8080</Port></Target><TargetHealth>").append(health).append("</TargetHealth></member>");
      }
    }
    return Reply.xml("<DescribeTargetHealthResponse xmlns=\"" + ns + "\"><DescribeTargetHealthResult>"
        + "<TargetHealthDescriptions>" + targets + "</TargetHealthDescriptions></DescribeTargetHealthResult>"
        + "<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeTargetHealthResponse>");
  }

  // ---- S3 (REST XML) ----------------------------------------------------------------------------------------

  private Reply s3(HttpExchange exchange, String body) {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    requests.add("s3 " + exchange.getRequestMethod() + " " + path + "?" + query);
    String ns = "http://s3.amazonaws.com/doc/2006-03-01/";
    if (!path.equals("/" + BUCKET)) {
      return new Reply(404, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchBucket"
          + "</Code><Message>The specified bucket does not exist</Message></Error>", Map.of());
    }
    if ("versioning".equals(query) || "versioning=".equals(query)) {
      String status = versioning.isEmpty() ? "" : "<Status>" + versioning + "</Status>";
      return new Reply(200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<VersioningConfiguration xmlns=\"" + ns + "\">" + status + "</VersioningConfiguration>", Map.of());
    }
    if ("encryption".equals(query) || "encryption=".equals(query)) {
      return new Reply(200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<ServerSideEncryptionConfiguration xmlns=\"" + ns + "\"><Rule><ApplyServerSideEncryptionByDefault>"
          + "<SSEAlgorithm>" + sseAlgorithm + "</SSEAlgorithm></ApplyServerSideEncryptionByDefault>"
          + "<BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>", Map.of());
    }
    throw new IllegalStateException("s3 " + query);
  }

  // ---- JSON 1.1 and REST JSON APIs --------------------------------------------------------------------------

  private Reply ssm(HttpExchange exchange, String body) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    requests.add("ssm " + target);
    if (!target.equals("AmazonSSM.DescribeInstanceInformation")) {
      throw new IllegalStateException("ssm " + target);
    }
    JsonNode request = JSON.readTree(body);
    List<String> asked = new ArrayList<>();
    for (JsonNode filter : request.path("Filters")) {
      if (filter.path("Key").asText().equals("InstanceIds")) {
        filter.path("Values").forEach(v -> asked.add(v.asText()));
      }
    }
    List<String> known = asked.stream().filter(id -> !"".equals(pingStatus.get(id))).toList();
    String reply = page(known, request.path("NextToken").asText(""), INSTANCE_INFORMATION_PAGE, ids -> {
      List<String> list = new ArrayList<>();
      for (String id : ids) {
        list.add("{\"InstanceId\":\"" + id + "\",\"PingStatus\":\"" + pingStatus.getOrDefault(id, "Online")
            + "\",\"LastPingDateTime\":1.7640E9,\"AgentVersion\":\"3.3.0.0\",\"PlatformType\":\"Linux\","
            + "\"PlatformName\":\"Ubuntu\",\"PlatformVersion\":\"24.04\",\"ResourceType\":\"EC2Instance\"}");
      }
      return "{\"InstanceInformationList\":[" + String.join(",", list) + "]";
    }, token -> ",\"NextToken\":\"" + token + "\"") + "}";
    return Reply.json("application/x-amz-json-1.1", reply);
  }

  private Reply scheduler(HttpExchange exchange, String body) {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getQuery();
    requests.add("scheduler " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
    if (!scheduleExists || !exchange.getRequestMethod().equals("GET") || !path.equals("/schedules/" + SCHEDULE)
        || !"groupName=default".equals(query)) {
      return new Reply(404, "application/json", "{\"Message\":\"Schedule " + path + " does not exist.\"}",
          Map.of("x-amzn-ErrorType", "ResourceNotFoundException"));
    }
    String input = "{\"AutoScalingGroupName\":\"" + scheduleInputGroup + "\",\"DesiredCapacity\":1}";
    return Reply.json("application/json", "{\"ActionAfterCompletion\":\"NONE\",\"Arn\":\"arn:aws:scheduler:" + REGION
        + ":" + ACCOUNT + ":schedule/default/" + SCHEDULE + "\",\"CreationDate\":1.7619913E9,\"Description\":"
        + "\"docsearch weekly reindex: start the builder (it scales itself back to 0 when done)\","
        + "\"FlexibleTimeWindow\":{\"Mode\":\"OFF\"},\"GroupName\":\"default\",\"LastModificationDate\":1.7619913E9,"
        + "\"Name\":\"" + SCHEDULE + "\",\"ScheduleExpression\":\"cron(0 3 ? * SUN *)\","
        + "\"ScheduleExpressionTimezone\":\"Etc/UTC\",\"State\":\"" + scheduleState + "\",\"Target\":{\"Arn\":\""
        + scheduleTargetArn + "\",\"Input\":" + JSON.getNodeFactory().textNode(input) + ",\"RetryPolicy\":{"
        + "\"MaximumEventAgeInSeconds\":86400,\"MaximumRetryAttempts\":185},\"RoleArn\":\"" + roleArn(SCHEDULE_ROLE)
        + "\"}}");
  }

  // ---- S3 Files (REST JSON) ---------------------------------------------------------------------------------

  private static String mountTargetId(String subnet) {
    return "fsmt-0" + subnet.substring("subnet-0".length(), "subnet-0".length() + 16);
  }

  private Reply s3Files(HttpExchange exchange, String body) {
    String path = exchange.getRequestURI().getPath();
    requests.add("s3files " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
    if (path.equals("/file-systems/" + FS_ID)) {
      return Reply.json("application/json", "{\"bucket\":\"arn:aws:s3:::" + fileSystemBucket + "\",\"creationTime\":"
          + "1.7619912E9,\"fileSystemArn\":\"arn:aws:s3files:" + REGION + ":" + ACCOUNT + ":file-system/" + FS_ID
          + "\",\"fileSystemId\":\"" + FS_ID + "\",\"ownerId\":\"" + ACCOUNT + "\",\"roleArn\":\"" + roleArn(FS_ROLE)
          + "\",\"status\":\"" + fileSystemStatus + "\",\"statusMessage\":\""
          + (fileSystemStatus.equals("available") ? "" : "waiting for EventBridge rule creation") + "\","
          + "\"tags\":[]}");
    }
    List<String> subnets;
    synchronized (mountTargetSubnets) {
      subnets = List.copyOf(mountTargetSubnets);
    }
    if (path.equals("/mount-targets")) {
      String query = exchange.getRequestURI().getQuery();
      if (!("fileSystemId=" + FS_ID).equals(query)) {
        return new Reply(400, "application/json", "{\"message\":\"unexpected query " + query + "\"}",
            Map.of("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/"));
      }
      return Reply.json("application/json", "{\"mountTargets\":[" + String.join(",", subnets.stream()
          .map(subnet -> mountTarget(subnet, false)).toList()) + "]}");
    }
    for (String subnet : subnets) {
      if (path.equals("/mount-targets/" + mountTargetId(subnet))) {
        return Reply.json("application/json", mountTarget(subnet, true));
      }
    }
    return new Reply(404, "application/json", "{\"message\":\"Not found: " + path + "\"}",
        Map.of("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/"));
  }

  private String mountTarget(String subnet, boolean withGroups) {
    String zone = zoneOf(subnet);
    return "{\"availabilityZoneId\":\"euw1-az" + (zone.charAt(zone.length() - 1) - 'a' + 1) + "\",\"fileSystemId\":\""
        + FS_ID + "\",\"ipv4Address\":\"10.42.0.17\",\"mountTargetId\":\"" + mountTargetId(subnet)
        + "\",\"networkInterfaceId\":\"eni-0fake0000000001\",\"ownerId\":\"" + ACCOUNT + "\","
        + (withGroups ? "\"securityGroups\":[\"" + MOUNT_SG + "\"]," : "") + "\"status\":\"" + mountTargetStatus
        + "\",\"subnetId\":\"" + subnet + "\",\"vpcId\":\"vpc-0abc12345def67890\"}";
  }
}
