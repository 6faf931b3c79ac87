package dev.docsearch.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.docsearch.service.config.ServiceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-client cap on requests in flight, behind a trusted proxy (loopback plays the load balancer, and
 * {@code X-Forwarded-For} names the client): a client that holds its cap with stalled bodies is refused at once
 * with 429 and the JSON reason, other clients are not, and the client gets its room back when its requests end.
 */
class ClientLimitTest {

    private static final int CAP = 3;

    @TempDir
    static Path root;
    static SearchServer server;

    @BeforeAll
    static void start() throws Exception {
        TestCorpus.publishDefault(root);
        server = SearchServer.start(ServiceConfig.of(root, "127.0.0.1", 0, Duration.ofMillis(100))
                .withClientLimit(CAP, List.of("127.0.0.1")));
        Awaiting.status(new HttpProbe(server.port()), 200, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static RawResponse search(String client) throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/search?q=versioning&k=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + (client == null ? "" : "X-Forwarded-For: " + client + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return RawResponse.read(s.getInputStream());
        }
    }

    @Test
    void aClientAtItsCapIsRefusedAndOthersAreNot() throws Exception {
        String greedy = "198.51.100.7";
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                int held = i;
                Socket s = connect();
                // The client's own forged hop on the left is ignored: the right-most one is the balancer's.
                s.getOutputStream().write(("POST /search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "X-Forwarded-For: 203.0.113." + i + ", " + greedy + "\r\nContent-Length: 1000\r\n\r\n"
                        + "{\"query\":").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
                // In flight once the server has its headers: counted before the next one goes (no clock, no race).
                Awaiting.until(() -> Scrape.gauge(server, "docsearch_http_requests_in_flight"), n -> n == held + 1,
                        Duration.ofSeconds(20));
            }
            RawResponse refused = search(greedy);
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            assertThat(refused.headers().get("retry-after")).isEqualTo("1");
            assertThat(refused.headers().get("content-type")).startsWith("application/json");
            assertThat(new ObjectMapper().readTree(refused.body()).get("error").asText())
                    .contains("429").contains("more than " + CAP + " requests in flight from this client");
            assertThat(refused.headers().get("x-content-type-options")).isEqualTo("nosniff");

            assertThat(search("198.51.100.8").status()).as("another client behind the balancer").isEqualTo(200);
            assertThat(search(null).status()).as("the balancer itself").isEqualTo(200);
            assertThat(server.metrics().scrape()).containsPattern("docsearch_http_client_refusals_total [1-9]");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        // Closed, the stalled requests end, and the client has its room back.
        assertThat(Awaiting.until(() -> search(greedy), r -> r.status() == 200, Duration.ofSeconds(20)).status())
                .isEqualTo(200);
    }
}
