package dev.docsearch.infra.doctor;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 on a received request, written from the published algorithm (not with the
 * SDK), so that a request the doctor signs by hand is known to be signed right.
 */
final class SigV4Verifier {

  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?"
          + "Signature=([0-9a-f]{64})");

  private final String accessKey;
  private final String secretKey;

  SigV4Verifier(String accessKey, String secretKey) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /**
   * The problem with the request's signature, or null when it is valid.
   *
   * @param expectedService the signing name the request must use
   * @param expectedRegion  the region the request must be signed for
   */
  String problem(HttpExchange exchange, byte[] body, String expectedService, String expectedRegion) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      return "no Authorization header";
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return "malformed Authorization: " + authorization;
    }
    if (!m.group(1).equals(accessKey)) {
      return "signed with access key " + m.group(1);
    }
    if (!m.group(3).equals(expectedRegion)) {
      return "signed for region " + m.group(3) + ", expected " + expectedRegion;
    }
    if (!m.group(4).equals(expectedService)) {
      return "signed for service " + m.group(4) + ", expected " + expectedService;
    }
    String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    if (amzDate == null || !amzDate.startsWith(m.group(2))) {
      return "X-Amz-Date " + amzDate + " does not match the credential date " + m.group(2);
    }
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
      return "host and x-amz-date must be signed, signed: " + signedHeaders;
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String h : signedHeaders) {
      List<String> values = exchange.getRequestHeaders().get(h);
      if (values == null) {
        return "signed header " + h + " is missing";
      }
      canonicalHeaders.append(h).append(':').append(String.join(",", values).trim().replaceAll(" +", " "))
          .append('\n');
    }
    URI uri = exchange.getRequestURI();
    // The header, when sent, is what was signed (a hash, or UNSIGNED-PAYLOAD); else the body's hash.
    String payloadHash = exchange.getRequestHeaders().getFirst("X-Amz-Content-Sha256");
    if (payloadHash == null) {
      payloadHash = hex(sha256(body));
    } else if (!payloadHash.equals("UNSIGNED-PAYLOAD") && !payloadHash.equals(hex(sha256(body)))) {
      return "x-amz-content-sha256 does not match the body";
    }
    String canonicalRequest = exchange.getRequestMethod() + "\n"
        + uri.getRawPath() + "\n"
        + canonicalQuery(uri.getRawQuery()) + "\n"
        + canonicalHeaders + "\n"
        + m.group(5) + "\n"
        + payloadHash;
    String scope = m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), m.group(2));
    key = hmac(key, m.group(3));
    key = hmac(key, m.group(4));
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    return expected.equals(m.group(6)) ? null : "signature mismatch; canonical request was:\n" + canonicalRequest;
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> params = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      params.computeIfAbsent(encode(decode(k)), x -> new ArrayList<>()).add(encode(decode(v)));
    }
    List<String> parts = new ArrayList<>();
    params.forEach((k, vs) -> vs.stream().sorted().forEach(v -> parts.add(k + "=" + v)));
    return String.join("&", parts);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
