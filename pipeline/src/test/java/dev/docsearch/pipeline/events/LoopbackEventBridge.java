package dev.docsearch.pipeline.events;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP endpoint on loopback that answers EventBridge's PutEvents as AWS does (JSON 1.1 protocol), or with a
 * chosen error status, and keeps every request it received.
 */
public final class LoopbackEventBridge implements AutoCloseable {

    /** One request as received. */
    public record Received(String target, String authorization, String contentType, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile String answer = "{\"Entries\":[{\"EventId\":\"6d3b2f0e-1c1e-4c1a-9f55-0b1d2c3e4f50\"}],\"FailedEntryCount\":0}";

    public LoopbackEventBridge() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new Received(ex.getRequestHeaders().getFirst("X-Amz-Target"),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"),
                    new String(body, StandardCharsets.UTF_8)));
            int code = status.get();
            byte[] out = (code == 200 ? answer
                    : "{\"__type\":\"InternalException\",\"message\":\"loopback failure\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.getResponseHeaders().set("x-amzn-RequestId", "loopback-" + received.size());
            ex.sendResponseHeaders(code, out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every later request is answered with this HTTP status (200 = success). */
    public void answerWith(int code) {
        status.set(code);
    }

    /** Later 200 answers report the event as failed (FailedEntryCount 1). */
    public void rejectEntries() {
        answer = "{\"Entries\":[{\"ErrorCode\":\"NotAuthorizedForSourceException\",\"ErrorMessage\":\"not allowed\"}],"
                + "\"FailedEntryCount\":1}";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The AWS SDK finds these test credentials through its default chain (system properties). */
    public static void useTestCredentials() {
        for (Map.Entry<String, String> e : Map.of("aws.accessKeyId", "AKIDLOOPBACKTEST", "aws.secretAccessKey",
                "loopback-secret", "aws.disableEc2Metadata", "true").entrySet()) {
            System.setProperty(e.getKey(), e.getValue());
        }
    }
}
