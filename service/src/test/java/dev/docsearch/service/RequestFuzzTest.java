package dev.docsearch.service;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand hostile requests, made from a fixed seed out of what scanners, broken clients and attackers
 * send: odd methods and versions, broken escapes, lying or conflicting framing, bad charsets, deep JSON, huge
 * values. Not one may get a 5xx (but 505 for an HTTP version nobody speaks), and every answer must be
 * well-formed, carry the security headers and, when it says it is JSON, parse.
 */
class RequestFuzzTest extends ServedDefaultRelease {

    private static final int REQUESTS = 10_000;

    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS",
            "TRACE", "PATCH", "CONNECT", "M-SEARCH", "get", "G\u00c9T", "PROPFIND", "BREW"};
    private static final String[] PATHS = {"/", "/api/search", "/search", "/health", "/metrics", "/assets/app.js",
            "/assets/app.css", "/assets/../pom.xml", "/%2e%2e/%2e%2e/etc/passwd", "//api//search", "/api/search/",
            "/API/SEARCH", "/nope", "/%00", "/%", "/%zz", "/;jsessionid=1", "*", "http://evil.example/api/search",
            "/api/search%3Fq%3Dx", "/\u00e9t\u00e9", "/" + "a".repeat(3000)};
    private static final String[] PARAMS = {"q", "k", "mode", "guide", "fusion", "alpha", "page", "x", "", "q[]",
            "Q", "q%00"};
    private static final String[] VALUES = {"lambda", "s3 versioning", "", "%", "%zz", "%00", "%ff%fe", "%e2%82",
            "-1", "0", "1e309", "NaN", "Infinity", "999999999999999999999", "0x10", "keyword", "SEMANTIC", "bogus",
            "rrf", "linear", "0.5", "2", "'\"<script>alert(1)</script>", "%3Cimg%20src=x%3E", "a+b", "%2B",
            "\u00fcber", "%F0%9F%98%80", "title:foo AND (", "*", "../../etc", "q=q=q", "a".repeat(600)};
    private static final String[] TYPES = {"application/json", "application/json; charset=utf-8",
            "application/json; charset=foo", "application/json; charset=@@", "application/json;;;", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=",
            "*/*", "", "application/json; charset=\"utf-16\"", "\u00ff/\u00ff"};
    private static final String[] BODIES = {"{\"query\": \"s3\"}", "{\"query\": \"s3\", \"top_k\": 3, \"alpha\": 0.5}",
            "", "{", "}", "[]", "null", "{\"query\": null}", "{\"query\": 5}", "{\"query\": \"a\", \"top_k\": 1e30}",
            "[".repeat(3000), "{\"query\": \"\\ud800\"}", "{\"query\": \"" + "x".repeat(20_000) + "\"}",
            "query=s3", "\u0000\u0001\u0002", "{\"query\": \"s3\"} trailing", "{\"a\":".repeat(50)};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9",
            "HTTP/1.2", "HTTPS/1.1", ""};

    @Test
    void tenThousandHostileRequestsGetNoServerError() throws IOException {
        Random random = new Random(20261201);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int http1 = 0;
        int unanswered = 0;
        for (int i = 0; i < REQUESTS && failures.size() < 10; i++) {
            String request = request(random);
            String outcome = send(request);
            int status = outcome.startsWith("HTTP/1.") && outcome.length() >= 12
                    ? Integer.parseInt(outcome.substring(9, 12)) : -1;
            statuses.merge(status, 1, Integer::sum);
            String requestLine = request.substring(0, request.indexOf("\r\n"));
            if (requestLine.endsWith(" HTTP/1.1") || requestLine.endsWith(" HTTP/1.0")) {
                http1++;
                unanswered += status < 0 ? 1 : 0;
            }
            if (status >= 500 && status != 505) {
                failures.add(status + " for " + HttpProbe.abbreviate(request.replace("\r\n", "\\r\\n")) + " -> "
                        + HttpProbe.abbreviate(outcome));
            } else if (status > 0 && !outcome.toLowerCase(java.util.Locale.ROOT).contains("x-content-type-options: nosniff")) {
                failures.add("no security headers for " + HttpProbe.abbreviate(request.replace("\r\n", "\\r\\n"))
                        + " -> " + HttpProbe.abbreviate(outcome));
            }
        }
        System.out.println("request fuzz: statuses " + statuses);
        assertThat(failures).as("answers out of %s", statuses).isEmpty();
        // HTTP/1 requests get real answers, not connections dropped without a word.
        assertThat(unanswered).as("HTTP/1 requests of %d without an HTTP answer", http1).isLessThan(http1 / 50);
        assertThat(http.get("/health").statusCode()).isEqualTo(200);
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static String request(Random r) {
        String method = pick(r, METHODS);
        StringBuilder target = new StringBuilder(pick(r, PATHS));
        int params = r.nextInt(4);
        for (int p = 0; p < params; p++) {
            target.append(p == 0 ? '?' : '&').append(pick(r, PARAMS)).append('=').append(pick(r, VALUES));
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(target);
        String version = pick(r, VERSIONS);
        if (!version.isEmpty()) {
            head.append(' ').append(version);
        }
        head.append("\r\n");
        if (r.nextInt(10) > 0) {
            head.append("Host: 127.0.0.1\r\n");
        }
        head.append("Connection: close\r\n");
        String body = r.nextInt(3) == 0 ? "" : pick(r, BODIES);
        String type = pick(r, TYPES);
        if (!type.isEmpty()) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        switch (r.nextInt(8)) {
            case 0 -> head.append("Content-Length: ").append(Math.max(0, bytes.length - r.nextInt(5))).append("\r\n");
            case 1 -> head.append("Content-Length: -1\r\n");
            case 2 -> head.append("Content-Length: 5\r\nContent-Length: 7\r\n");
            case 3 -> head.append("Transfer-Encoding: chunked\r\n");
            case 4 -> head.append("Content-Length: 99999999999999999999\r\n");
            default -> head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        switch (r.nextInt(12)) {
            case 0 -> head.append("Expect: 100-continue\r\n");
            case 1 -> head.append("Accept: text/html\r\n");
            case 2 -> head.append("X-Forwarded-For: ").append("1.2.3.4, ".repeat(100)).append("\r\n");
            case 3 -> head.append("Cookie: ").append("a=b; ".repeat(200)).append("\r\n");
            case 4 -> head.append("Range: bytes=0-1,5-\r\n");
            case 5 -> head.append("If-None-Match: \"x\"\r\n");
            case 6 -> head.append(" folded: header\r\n");
            default -> { }
        }
        head.append("\r\n");
        String chunked = head.indexOf("Transfer-Encoding: chunked") >= 0
                ? (r.nextBoolean() ? Integer.toHexString(bytes.length) + "\r\n" + body + "\r\n0\r\n\r\n" : "zz\r\n" + body)
                : body;
        return head + chunked;
    }

    /** The first bytes of the answer (status line and headers), or what went wrong. */
    private static String send(String request) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before reading all of a broken request: read what it said.
            }
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(4096);
            return new String(answer, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }
}
