package dev.docsearch.service;

import dev.docsearch.service.api.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies the service refuses, sent over a raw socket by a client that writes its whole body while it reads
 * (as the JDK's HttpClient, Python requests and Go do): the answer must always arrive as a well-formed 413 or
 * 400 with a JSON reason, never as a reset connection.
 */
class OversizedBodyTest extends ServedDefaultRelease {

    private static final String SEARCH_GET = "GET /api/search?q=versioning";
    private static final String SEARCH_POST = "POST /search";

    @ParameterizedTest(name = "{0} with {1} bytes")
    @CsvSource({
            "POST /search,                20000",
            "POST /search,              2000000",
            "GET /api/search?q=versioning, 20000",
            "GET /api/search?q=versioning, 2000000",
    })
    void anOversizedBodyGetsA413WhileTheClientIsStillSending(String requestLine, int size) throws Exception {
        byte[] body = jsonOfSize(size);
        try (Socket socket = connect()) {
            CompletableFuture<Void> sending = sendAsync(socket, head(requestLine, "Content-Length: " + size), body, false);
            RawResponse r = RawResponse.read(socket.getInputStream());
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.json().get("error").asText()).contains(String.valueOf(RequestBody.MAX_BYTES))
                    .contains(String.valueOf(size));
            assertThat(r.headers()).containsKey("content-security-policy");
            // The whole body was taken in, so the client's write never met a reset.
            sending.get(30, TimeUnit.SECONDS);
            if (size <= RequestBody.DRAIN_BYTES) {
                // Drained to its end: the connection stays usable for the next request.
                assertThat(r.headers().get("connection")).isNotEqualToIgnoringCase("close");
                sendAsync(socket, head(SEARCH_GET, "Content-Length: 0"), new byte[0], false).get(30, TimeUnit.SECONDS);
                RawResponse next = RawResponse.read(socket.getInputStream());
                assertThat(next.status()).as(next.body()).isEqualTo(200);
                assertThat(next.json().get("release").asText()).isEqualTo(releaseId);
            } else {
                assertThat(r.headers().get("connection")).isEqualToIgnoringCase("close");
                assertThat(socket.getInputStream().read()).as("end of stream after the 413").isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"POST /search", "GET /api/search?q=versioning"})
    void aChunkedBodyPastTheBoundGetsA413(String requestLine) throws Exception {
        byte[] json = jsonOfSize(3 * RequestBody.DRAIN_BYTES);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int i = 0; i < json.length; i += 8192) {
            int n = Math.min(8192, json.length - i);
            chunked.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(json, i, n);
            chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (Socket socket = connect()) {
            CompletableFuture<Void> sending = sendAsync(socket, head(requestLine, "Transfer-Encoding: chunked"),
                    chunked.toByteArray(), false);
            RawResponse r = RawResponse.read(socket.getInputStream());
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.json().get("error").asText()).contains(String.valueOf(RequestBody.MAX_BYTES));
            sending.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"POST /search", "GET /api/search?q=versioning"})
    void aBodyShorterThanItsContentLengthIsA400(String requestLine) throws Exception {
        byte[] body = jsonOfSize(1000);
        try (Socket socket = connect()) {
            sendAsync(socket, head(requestLine, "Content-Length: 5000000"), body, true).get(30, TimeUnit.SECONDS);
            RawResponse r = RawResponse.read(socket.getInputStream());
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).contains("5000000").doesNotContain("\tat ");
        }
    }

    @Test
    void aBodyLongerThanItsContentLengthIsCutThereAndTheRestIsANewRequest() throws Exception {
        byte[] body = jsonOfSize(20_000);
        try (Socket socket = connect()) {
            CompletableFuture<Void> sending = sendAsync(socket, head(SEARCH_POST, "Content-Length: 20"), body, false);
            RawResponse first = RawResponse.read(socket.getInputStream());
            // Twenty bytes of a JSON object are not JSON.
            assertThat(first.status()).as(first.body()).isEqualTo(400);
            assertThat(first.json().get("error").asText()).contains("not valid JSON");
            // The rest is no HTTP request at all (a 19,980-byte request line): Jetty refuses it (431) and closes.
            RawResponse second = RawResponse.read(socket.getInputStream());
            assertThat(second.status()).isBetween(400, 499);
            sending.handle((ok, e) -> null).get(30, TimeUnit.SECONDS);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static byte[] head(String requestLine, String framing) {
        return (requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code {"query": "aaa..."}} of exactly {@code size} bytes. */
    private static byte[] jsonOfSize(int size) {
        String prefix = "{\"query\": \"";
        String suffix = "\"}";
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, prefix.length());
        System.arraycopy(suffix.getBytes(StandardCharsets.US_ASCII), 0, bytes, size - suffix.length(), suffix.length());
        return bytes;
    }

    /** Writes head and body on another thread, as a real client does while it waits for the answer. */
    private static CompletableFuture<Void> sendAsync(Socket socket, byte[] head, byte[] body, boolean halfClose) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head);
                for (int i = 0; i < body.length; i += 16 * 1024) {
                    out.write(body, i, Math.min(16 * 1024, body.length - i));
                }
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the client's write failed (a reset connection?)", e);
            }
        });
    }
}
