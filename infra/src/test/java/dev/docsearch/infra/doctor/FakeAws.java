package dev.docsearch.infra.doctor;

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

/**
 * A loopback stand-in for the AWS APIs the doctor calls, answering in each API's real wire format: XML for the
 * query APIs (CloudFormation, IAM, EC2) and S3, JSON 1.1 for EventBridge and SSM, REST JSON for S3 Files. So the
 * SDK clients run their real serialisation, and every request's SigV4 signature is verified independently.
 *
 * <p>It holds one deployed docsearch stack, healthy by default; tests break it through the public fields.
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
  static final String INSTANCE = "i-0abc1234def567890";
  static final String FS_ROLE = "Docsearch-FilesRole1E2A1B6F-Ab12Cd34Ef56";
  static final String HOST_ROLE = "Docsearch-SearchHostRoleA1B2C3D4-Gh78Ij90Kl12";
  static final String RULE = "Docsearch-WeeklyReindexRule0F1E2D3C-Mn34Op56Qr78";
  static final String HOST_SG = "sg-0aaaa1111bbbb2222";
  static final String MOUNT_SG = "sg-0cccc3333dddd4444";
  static final String SUBNET_A = "subnet-0aaa1111bbb22222c";
  static final String SUBNET_B = "subnet-0ddd3333eee44444f";

  // The stack's state; healthy unless a test changes it.
  volatile boolean stackExists = true;
  volatile String versioning = "Enabled";
  volatile String sseAlgorithm = "AES256";
  volatile String fileSystemRolePrincipal = "elasticfilesystem.amazonaws.com";
  volatile boolean trustConditions = true;
  final Set<String> deniedActions = Collections.synchronizedSet(new HashSet<>());
  final List<String> hostPolicies = Collections.synchronizedList(new ArrayList<>(
      List.of("AmazonS3FilesClientFullAccess", "AmazonSSMManagedInstanceCore")));
  volatile String fileSystemStatus = "available";
  volatile String mountTargetStatus = "available";
  volatile boolean nfsFromHost = true;
  volatile String ruleState = "ENABLED";
  volatile boolean ruleTargetsHost = true;
  volatile String pingStatus = "Online";

  /** "service operation" of every request, in order. */
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  /** Requests whose signature did not verify. */
  final List<String> signatureProblems = Collections.synchronizedList(new ArrayList<>());

  /** One loopback server per service: the SDK clients ignore an endpoint's path for some protocols. */
  private final Map<String, HttpServer> servers = new LinkedHashMap<>();
  private final SigV4Verifier verifier = new SigV4Verifier(ACCESS_KEY, SECRET_KEY);

  FakeAws() throws IOException {
    listen("cloudformation", this::cloudFormation);
    listen("iam", this::iam);
    listen("ec2", this::ec2);
    listen("s3files", this::s3Files);
    listen("s3", this::s3);
    listen("events", this::eventBridge);
    listen("ssm", this::ssm);
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
      values.put("BucketName", BUCKET);
      values.put("FileSystemId", FS_ID);
      values.put("InstanceId", INSTANCE);
      values.put("ServiceUrl", "http://ec2-203-0-113-10.eu-west-1.compute.amazonaws.com:8080/");
      values.forEach((k, v) -> outputs.append("<member><OutputKey>").append(k).append("</OutputKey><OutputValue>")
          .append(v).append("</OutputValue></member>"));
      return Reply.xml("<DescribeStacksResponse xmlns=\"" + ns + "\"><DescribeStacksResult><Stacks><member>"
          + "<StackId>" + STACK_ID + "</StackId><StackName>" + STACK + "</StackName>"
          + "<CreationTime>2026-11-01T10:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>"
          + "<Outputs>" + outputs + "</Outputs></member></Stacks></DescribeStacksResult>"
          + "<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeStacksResponse>");
    }
    if (action.equals("DescribeStackResources")) {
      String[][] resources = {
          {"StorageBucket5CB7C8EA", BUCKET, "AWS::S3::Bucket"},
          {"StorageAccessLogs9A8B7C6D", "docsearch-storageaccesslogs-0f9e8d7c6b5a", "AWS::S3::Bucket"},
          {"FilesRole1E2A1B6F", FS_ROLE, "AWS::IAM::Role"},
          {"FilesRolePolicy0A1B2C3D", "Docs-Files-1A2B3C4D5E6F", "AWS::IAM::Policy"},
          {"FilesFileSystem8770F8A4", FS_ID, "AWS::S3Files::FileSystem"},
          {"SearchHostRoleA1B2C3D4", HOST_ROLE, "AWS::IAM::Role"},
          {"SearchHostInstanceCAB10FDE1aff96dc98428d9c", INSTANCE, "AWS::EC2::Instance"},
          {"WeeklyReindexRole5E6F7A8B", "Docsearch-WeeklyReindexRole-Zz99Yy88Xx77", "AWS::IAM::Role"},
          {"WeeklyReindexRule0F1E2D3C", RULE, "AWS::Events::Rule"}};
      StringBuilder members = new StringBuilder();
      for (String[] r : resources) {
        members.append("<member><StackName>").append(STACK).append("</StackName><StackId>").append(STACK_ID)
            .append("</StackId><LogicalResourceId>").append(r[0]).append("</LogicalResourceId>")
            .append("<PhysicalResourceId>").append(r[1]).append("</PhysicalResourceId><ResourceType>").append(r[2])
            .append("</ResourceType><Timestamp>2026-11-01T10:05:00.000Z</Timestamp>")
            .append("<ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>");
      }
      return Reply.xml("<DescribeStackResourcesResponse xmlns=\"" + ns + "\"><DescribeStackResourcesResult>"
          + "<StackResources>" + members + "</StackResources></DescribeStackResourcesResult>"
          + "<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeStackResourcesResponse>");
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
            + "<Arn>arn:aws:iam::" + ACCOUNT + ":role/" + name + "</Arn>"
            + "<CreateDate>2026-11-01T10:01:00Z</CreateDate>"
            + "<AssumeRolePolicyDocument>" + URLEncoder.encode(trust, StandardCharsets.UTF_8).replace("+", "%20")
            + "</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration></Role></GetRoleResult>"
            + meta + "</GetRoleResponse>");
      }
      case "ListAttachedRolePolicies" -> {
        StringBuilder members = new StringBuilder();
        if (params.get("RoleName").equals(HOST_ROLE)) {
          synchronized (hostPolicies) {
            hostPolicies.forEach(p -> members.append("<member><PolicyName>").append(p).append("</PolicyName>")
                .append("<PolicyArn>arn:aws:iam::aws:policy/").append(p).append("</PolicyArn></member>"));
          }
        }
        return Reply.xml("<ListAttachedRolePoliciesResponse xmlns=\"" + ns + "\"><ListAttachedRolePoliciesResult>"
            + "<AttachedPolicies>" + members + "</AttachedPolicies><IsTruncated>false</IsTruncated>"
            + "</ListAttachedRolePoliciesResult>" + meta + "</ListAttachedRolePoliciesResponse>");
      }
      case "SimulatePrincipalPolicy" -> {
        StringBuilder results = new StringBuilder();
        List<String> resourcesArns = members(params, "ResourceArns.member.");
        for (String a : members(params, "ActionNames.member.")) {
          String decision = deniedActions.contains(a) ? "implicitDeny" : "allowed";
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

  private String fileSystemTrust() {
    String condition = trustConditions
        ? ",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"" + ACCOUNT + "\"},\"ArnLike\":{"
            + "\"aws:SourceArn\":\"arn:aws:s3files:" + REGION + ":" + ACCOUNT + ":file-system/*\"}}"
        : "";
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
        + fileSystemRolePrincipal + "\"},\"Action\":\"sts:AssumeRole\"" + condition + "}]}";
  }

  private Reply ec2(HttpExchange exchange, String body) {
    Map<String, String> params = form(body);
    String action = params.get("Action");
    requests.add("ec2 " + action);
    String ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    if (action.equals("DescribeInstances")) {
      return Reply.xml("<DescribeInstancesResponse xmlns=\"" + ns + "\"><requestId>fake</requestId>"
          + "<reservationSet><item><reservationId>r-0fake000000000001</reservationId><ownerId>" + ACCOUNT
          + "</ownerId><groupSet/><instancesSet><item><instanceId>" + INSTANCE + "</instanceId>"
          + "<imageId>ami-0fake000000000001</imageId><instanceState><code>16</code><name>running</name>"
          + "</instanceState><instanceType>t3.medium</instanceType><placement><availabilityZone>" + REGION
          + "a</availabilityZone><tenancy>default</tenancy></placement><subnetId>" + SUBNET_A + "</subnetId>"
          + "<vpcId>vpc-0abc12345def67890</vpcId><groupSet><item><groupId>" + HOST_SG + "</groupId>"
          + "<groupName>Docsearch-SearchHostSecurityGroup</groupName></item></groupSet></item></instancesSet>"
          + "</item></reservationSet></DescribeInstancesResponse>");
    }
    if (action.equals("DescribeSecurityGroups")) {
      StringBuilder groups = new StringBuilder();
      for (String id : members(params, "GroupId.")) {
        String permissions = id.equals(MOUNT_SG) && nfsFromHost
            ? "<item><ipProtocol>tcp</ipProtocol><fromPort>2049</fromPort><toPort>2049</toPort><groups><item>"
                + "<userId>" + ACCOUNT + "</userId><groupId>" + HOST_SG + "</groupId></item></groups><ipRanges/>"
                + "<ipv6Ranges/><prefixListIds/></item>"
            : "";
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

  // ---- JSON 1.1 APIs ----------------------------------------------------------------------------------------

  private Reply eventBridge(HttpExchange exchange, String body) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    requests.add("events " + target);
    String type = "application/x-amz-json-1.1";
    if (!body.contains("\"" + RULE + "\"")) {
      return new Reply(400, type, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Rule does not exist.\"}",
          Map.of());
    }
    if (target.equals("AWSEvents.DescribeRule")) {
      return Reply.json(type, "{\"Name\":\"" + RULE + "\",\"Arn\":\"arn:aws:events:" + REGION + ":" + ACCOUNT
          + ":rule/" + RULE + "\",\"ScheduleExpression\":\"cron(0 3 ? * SUN *)\",\"State\":\"" + ruleState
          + "\",\"Description\":\"docsearch weekly reindex\",\"EventBusName\":\"default\",\"CreatedBy\":\""
          + ACCOUNT + "\"}");
    }
    if (target.equals("AWSEvents.ListTargetsByRule")) {
      String instance = ruleTargetsHost ? INSTANCE : "i-0ffffffffffffffff";
      return Reply.json(type, "{\"Targets\":[{\"Id\":\"reindex-on-search-host\",\"Arn\":\"arn:aws:ssm:" + REGION
          + "::document/AWS-RunShellScript\",\"RoleArn\":\"arn:aws:iam::" + ACCOUNT
          + ":role/Docsearch-WeeklyReindexRole-Zz99Yy88Xx77\",\"Input\":\"{\\\"commands\\\":[\\\"runuser -u "
          + "docsearch -- /opt/docsearch/bin/reindex\\\"],\\\"executionTimeout\\\":[\\\"21600\\\"]}\","
          + "\"RunCommandParameters\":{\"RunCommandTargets\":[{\"Key\":\"InstanceIds\",\"Values\":[\"" + instance
          + "\"]}]}}]}");
    }
    throw new IllegalStateException("events " + target);
  }

  private Reply ssm(HttpExchange exchange, String body) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    requests.add("ssm " + target);
    if (target.equals("AmazonSSM.DescribeInstanceInformation")) {
      String list = pingStatus.isEmpty() ? "" : "{\"InstanceId\":\"" + INSTANCE + "\",\"PingStatus\":\""
          + pingStatus + "\",\"LastPingDateTime\":1.7640E9,\"AgentVersion\":\"3.3.0.0\",\"PlatformType\":\"Linux\","
          + "\"PlatformName\":\"Ubuntu\",\"PlatformVersion\":\"24.04\",\"ResourceType\":\"EC2Instance\"}";
      return Reply.json("application/x-amz-json-1.1", "{\"InstanceInformationList\":[" + list + "]}");
    }
    throw new IllegalStateException("ssm " + target);
  }

  // ---- S3 Files (REST JSON) ---------------------------------------------------------------------------------

  private Reply s3Files(HttpExchange exchange, String body) {
    String path = exchange.getRequestURI().getPath();
    requests.add("s3files " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
    if (path.equals("/file-systems/" + FS_ID)) {
      return Reply.json("application/json", "{\"bucket\":\"arn:aws:s3:::" + BUCKET + "\",\"creationTime\":"
          + "1.7619912E9,\"fileSystemArn\":\"arn:aws:s3files:" + REGION + ":" + ACCOUNT + ":file-system/" + FS_ID
          + "\",\"fileSystemId\":\"" + FS_ID + "\",\"ownerId\":\"" + ACCOUNT + "\",\"roleArn\":\"arn:aws:iam::"
          + ACCOUNT + ":role/" + FS_ROLE + "\",\"status\":\"" + fileSystemStatus + "\",\"statusMessage\":\""
          + (fileSystemStatus.equals("available") ? "" : "waiting for EventBridge rule creation") + "\","
          + "\"tags\":[]}");
    }
    if (path.equals("/mount-targets")) {
      String query = exchange.getRequestURI().getQuery();
      if (!("fileSystemId=" + FS_ID).equals(query)) {
        return new Reply(400, "application/json", "{\"message\":\"unexpected query " + query + "\"}",
            Map.of("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/"));
      }
      return Reply.json("application/json", "{\"mountTargets\":[" + mountTarget("fsmt-0aaa1111bbbb2222c", SUBNET_A,
          false) + "," + mountTarget("fsmt-0ddd3333eeee4444f", SUBNET_B, false) + "]}");
    }
    if (path.startsWith("/mount-targets/")) {
      String id = path.substring("/mount-targets/".length());
      return Reply.json("application/json", mountTarget(id, id.contains("aaa") ? SUBNET_A : SUBNET_B, true));
    }
    return new Reply(404, "application/json", "{\"message\":\"File system not found\"}",
        Map.of("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/"));
  }

  private String mountTarget(String id, String subnet, boolean withGroups) {
    return "{\"availabilityZoneId\":\"euw1-az1\",\"fileSystemId\":\"" + FS_ID + "\",\"ipv4Address\":\"10.42.0.17\","
        + "\"mountTargetId\":\"" + id + "\",\"networkInterfaceId\":\"eni-0fake0000000001\",\"ownerId\":\"" + ACCOUNT
        + "\"," + (withGroups ? "\"securityGroups\":[\"" + MOUNT_SG + "\"]," : "") + "\"status\":\""
        + mountTargetStatus + "\",\"subnetId\":\"" + subnet + "\",\"vpcId\":\"vpc-0abc12345def67890\"}";
  }
}
