package dev.docsearch.service;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What hostile or careless clients send: made-up methods and paths, unknown charsets, requests Jetty refuses
 * before routing, bodies that never finish, and queries full of what users paste. Each must get a JSON answer
 * with the security headers, and none may grow the service's memory or hold its threads.
 */
class HostileTrafficTest extends ServedDefaultRelease {

    private static long requestSeries() {
        return server.metrics().scrape().lines().filter(l -> l.startsWith("docsearch_http_requests_seconds_count")).count();
    }

    private static RawResponse exchange(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return RawResponse.read(socket.getInputStream());
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    @Test
    void madeUpMethodsAndPathsAddNoMetricSeries() throws IOException {
        Random random = new Random(42);
        try (Socket socket = connect()) {
            // Every status these requests can get, once, so that the closed set is complete before counting.
            for (String warm : List.of("GET /nope", "M1 /", "M2 /nope", "DELETE /api/search", "GET /health")) {
                exchange(socket, warm + " HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            long before = requestSeries();
            for (int i = 0; i < 10_000; i++) {
                String method = random.nextInt(4) == 0 ? "GET" : "M" + random.nextInt(1_000_000);
                String path = "/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                RawResponse r = exchange(socket, method + " " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(r.status()).as(method + " " + path).isIn(404, 405);
            }
            assertThat(requestSeries()).as("request series after 10,000 made-up methods and paths").isEqualTo(before);
        }
        assertThat(server.metrics().scrape()).contains("method=\"other\"").doesNotContain("method=\"M");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "application/json; charset=foo",
            "application/json; charset=@@",
            "application/json; charset=\"utf-16\"",
            "application/json; charset=",
            "application/json;charset=latin1",
    })
    void aBodyInAnyCharsetButUtf8IsA415(String contentType) {
        HttpResponse<String> r = http.post("/search", contentType, "{\"query\": \"s3\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
        assertThat(HttpProbe.json(r).get("error").asText()).contains("UTF-8");
    }

    @Test
    void utf8InAnySpellingIsAccepted() {
        for (String type : List.of("application/json; charset=utf-8", "application/json;charset=UTF-8",
                "Application/JSON; Charset=\"utf-8\"", "application/json")) {
            assertThat(http.post("/search", type, "{\"query\": \"s3\"}").statusCode()).as(type).isEqualTo(200);
        }
    }

    @Test
    void anUnknownCharsetOnAGetIsNeverA500() throws IOException {
        try (Socket socket = connect()) {
            RawResponse r = exchange(socket, "GET /api/search?q=s3 HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: text/plain; charset=foo\r\n\r\n");
            assertThat(r.status()).as(r.body()).isBetween(200, 499);
            assertThat(r.json().has("error") || r.json().has("results")).isTrue();
        }
    }

    static Stream<Arguments> requestsJettyRefuses() {
        return Stream.of(
                Arguments.of("a bad request line", "GARBAGE\r\n\r\n", 400),
                Arguments.of("a request line too long",
                        "GET /api/search?q=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("headers too large",
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431),
                Arguments.of("an unknown HTTP version", "GET / HTTP/7.1\r\nHost: x\r\n\r\n", 505),
                Arguments.of("a bad header", "GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsJettyRefuses")
    void jettysOwnRefusalsAreJsonWithTheSecurityHeaders(String what, String request, int status) throws IOException {
        try (Socket socket = connect()) {
            RawResponse r = exchange(socket, request);
            assertThat(r.status()).as(r.body()).isEqualTo(status);
            assertThat(r.headers().get("content-type")).startsWith("application/json");
            assertThat(r.headers()).containsKeys("content-security-policy", "x-content-type-options", "referrer-policy");
            assertThat(r.json().get("error").asText()).contains(String.valueOf(status)).doesNotContain("\tat ", "<html");
        }
    }

    @Test
    void slowBodiesHoldNoRequestThreads() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = connect();
                s.getOutputStream().write(("POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"query\":").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            // Every one of them is parked by Jetty, waiting for the rest of its body: none holds a thread, so
            // searches go on answering.
            long[] micros = new long[200];
            for (int i = 0; i < micros.length; i++) {
                long t = System.nanoTime();
                assertThat(http.get("/api/search?q=" + HttpProbe.encode("versioning " + i) + "&k=3").statusCode())
                        .isEqualTo(200);
                micros[i] = (System.nanoTime() - t) / 1000;
            }
            java.util.Arrays.sort(micros);
            // Reported, not asserted: speed is measured by benchmarks, never by a test's clock.
            System.out.printf(java.util.Locale.ROOT, "slow bodies: 300 stalled, 200 searches p50 %.2f ms p99 %.2f ms%n",
                    micros[100] / 1000.0, micros[197] / 1000.0);
            double busy = Scrape.gauge(server, "jetty_threads_busy");
            assertThat(busy).as("busy request threads while 300 bodies stall").isLessThan(50);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @ParameterizedTest(name = "trickled={0}")
    @CsvSource({"false", "true"})
    void aBodyThatDoesNotArriveInTimeIsA408(boolean trickled) throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"query\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                // A byte a second renews an idle timeout for ever; the body's deadline still ends it.
                try {
                    for (int i = 0; trickled && i < 60; i++) {
                        Thread.sleep(1000);
                        out.write(' ');
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // The server answered and closed: what this test waits for.
                }
            });
            RawResponse r = RawResponse.read(s.getInputStream());
            assertThat(r.status()).as(r.body()).isEqualTo(408);
            assertThat(r.headers().get("connection")).isEqualToIgnoringCase("close");
            assertThat(r.json().get("error").asText()).contains("did not arrive");
            trickle.cancel(true);
        }
    }

    @Test
    void theAccessLogCutsQueriesAndKeepsThemOnOneLine() {
        Logger access = (Logger) LoggerFactory.getLogger("dev.docsearch.service.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Level level = access.getLevel();
        access.setLevel(ch.qos.logback.classic.Level.INFO);
        access.addAppender(lines);
        try {
            String pasted = "secret\nforged line " + "x".repeat(300);
            assertThat(http.get("/api/search?q=" + HttpProbe.encode(pasted)).statusCode()).isEqualTo(200);
        } finally {
            access.detachAppender(lines);
            access.setLevel(level);
        }
        String line = lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("/api/search"))
                .findFirst().orElseThrow();
        assertThat(line).doesNotContain("\n").contains("q=\"secret forged line x").doesNotContain("x".repeat(101));
        int q = line.indexOf("q=\"");
        assertThat(line.substring(q + 3, line.length() - 1)).hasSize(100 + "...".length());
    }
}
