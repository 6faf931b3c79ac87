package dev.docsearch.infra.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * {@link S3FilesApi} over the S3 Files REST JSON API, signed with the SDK's SigV4 signer and sent with an SDK HTTP
 * client.
 *
 * <p>Endpoint {@code https://s3files.<region>.api.aws} (what the endpoint rule set of the SDK models gives: the
 * dual-stack suffix; S3 Files has no {@code amazonaws.com} endpoint) and signing name {@value #SIGNING_NAME} unless
 * overridden. Not thread-safe for concurrent {@link #close}; otherwise stateless.
 */
public final class SignedS3FilesApi implements S3FilesApi {

  public static final String SIGNING_NAME = "s3files";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final Region region;
  private final URI endpoint;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param http        the HTTP client (closed with this object)
   * @param credentials credentials to sign with
   * @param region      the region of the file system
   * @param endpoint    the API endpoint, or null for the regional default
   */
  public SignedS3FilesApi(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpoint) {
    this.http = Objects.requireNonNull(http, "http");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.region = Objects.requireNonNull(region, "region");
    this.endpoint = endpoint != null ? endpoint
        : defaultEndpoint(region);
  }

  /** The regional endpoint of the S3 Files API. */
  public static URI defaultEndpoint(Region region) {
    return URI.create("https://" + SIGNING_NAME + "." + region.id() + ".api.aws");
  }

  @Override
  public FileSystem getFileSystem(String fileSystemId) {
    JsonNode fs = get("/file-systems/" + encode(fileSystemId), null);
    return new FileSystem(fs.path("fileSystemId").asText(), fs.path("bucket").asText(), fs.path("roleArn").asText(),
        fs.path("status").asText(), fs.path("statusMessage").asText(""));
  }

  @Override
  public List<MountTarget> listMountTargets(String fileSystemId) {
    List<MountTarget> all = new ArrayList<>();
    String next = null;
    do {
      String query = "fileSystemId=" + encode(fileSystemId) + (next == null ? "" : "&nextToken=" + encode(next));
      JsonNode page = get("/mount-targets", query);
      page.path("mountTargets").forEach(mt -> all.add(mountTarget(mt)));
      next = page.hasNonNull("nextToken") && !page.path("nextToken").asText().isEmpty()
          ? page.path("nextToken").asText() : null;
    } while (next != null);
    return all;
  }

  @Override
  public MountTarget getMountTarget(String mountTargetId) {
    return mountTarget(get("/mount-targets/" + encode(mountTargetId), null));
  }

  private static MountTarget mountTarget(JsonNode mt) {
    List<String> groups = new ArrayList<>();
    mt.path("securityGroups").forEach(g -> groups.add(g.asText()));
    return new MountTarget(mt.path("mountTargetId").asText(), mt.path("subnetId").asText(),
        mt.path("status").asText(), groups);
  }

  private JsonNode get(String path, String query) {
    String base = endpoint.toString().replaceAll("/+$", "");
    URI uri = URI.create(base + path + (query == null ? "" : "?" + query));
    SdkHttpRequest request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.GET)
        .uri(uri)
        .putHeader("Accept", "application/json")
        .build();
    AwsCredentialsIdentity identity = credentials.resolveCredentials();
    SignedRequest signed = signer.sign(r -> r
        .identity(identity)
        .request(request)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    ExecutableHttpRequest call = http.prepareRequest(HttpExecuteRequest.builder()
        .request(signed.request())
        .build());
    try {
      HttpExecuteResponse response = call.call();
      byte[] body;
      if (response.responseBody().isPresent()) {
        try (InputStream in = response.responseBody().get()) {
          body = in.readAllBytes();
        }
      } else {
        body = new byte[0];
      }
      int status = response.httpResponse().statusCode();
      JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      if (status / 100 != 2) {
        String code = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
            .map(t -> t.replaceAll(":.*$", ""))
            .orElse(json.path("__type").asText(""));
        String message = json.path("message").asText(json.path("Message").asText(new String(body,
            StandardCharsets.UTF_8)));
        throw new S3FilesApiException(status, code, message);
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException("S3 Files API: GET " + uri + " failed: " + e.getMessage(), e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    http.close();
  }
}
