package dev.docsearch.service.api;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Request bodies, read within bounds so that every refusal still reaches the client.
 *
 * <p>Closing a connection whose request body is still arriving makes the kernel answer with a TCP reset,
 * and a client that is still sending (the JDK's HttpClient, Python requests, Go) then loses the response
 * before it reads it. So a body over {@link #MAX_BYTES} is read and thrown away up to {@link #DRAIN_BYTES}
 * and refused with 413 on a connection that stays open. A body past that bound gets its 413 written and
 * flushed at once with {@code Connection: close}, which half-closes the socket (FIN after the response);
 * the rest of the body is then read and discarded for up to {@link #LINGER_BYTES} more before the
 * connection closes, so the client has finished sending, or at least read its answer, by then.
 */
public final class RequestBody {

    /** Largest accepted body: a 512-character query in JSON needs far less. */
    public static final int MAX_BYTES = 16 * 1024;
    /** An oversized body up to this size is read to its end before the 413, keeping the connection. */
    public static final int DRAIN_BYTES = 1024 * 1024;
    /** Past {@link #DRAIN_BYTES}, this much more is discarded after the 413 before the connection closes. */
    public static final int LINGER_BYTES = 8 * 1024 * 1024;
    /** The request attribute holding the body read by {@link #readIfPresent}. */
    private static final String ATTRIBUTE = "docsearch.body";
    private static final byte[] NONE = new byte[0];

    private RequestBody() {
    }

    /**
     * Reads the body of any request that has one, before routing, and keeps it for {@link #of}. A body
     * over {@link #MAX_BYTES} is refused with 413 (an {@link ApiException}, or, past {@link #DRAIN_BYTES},
     * an answer written here, after which the remaining handlers are skipped); a body that ends before its
     * {@code Content-Length} is a 400.
     */
    public static void readIfPresent(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        boolean chunked = ctx.header("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked) {
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] head = in.readNBytes(MAX_BYTES + 1);
            if (head.length <= MAX_BYTES) {
                ctx.attribute(ATTRIBUTE, head);
                return;
            }
            long read = head.length + skip(in, DRAIN_BYTES - head.length);
            if (in.read() < 0) {
                throw tooLarge(declared >= 0 ? declared : read);
            }
            refuseAndLinger(ctx, in, declared);
            ctx.skipRemainingHandlers();
        } catch (IOException e) {
            // Jetty reports a body cut short of its Content-Length (or a broken chunk) here.
            throw ApiException.badRequest(null, "the body cannot be read: " + (declared > 0
                    ? "it ended before the " + declared + " bytes its Content-Length announced"
                    : SearchParameters.abbreviate(String.valueOf(e.getMessage()))));
        }
    }

    /** The body {@link #readIfPresent} kept: empty when the request had none. */
    public static byte[] of(Context ctx) {
        byte[] body = ctx.attribute(ATTRIBUTE);
        return body != null ? body : NONE;
    }

    private static void refuseAndLinger(Context ctx, InputStream in, long declared) throws IOException {
        ApiException refusal = tooLarge(declared);
        byte[] json = Json.mapper().writeValueAsBytes(new ErrorBody(refusal.getMessage(), null));
        HttpServletResponse res = ctx.res();
        res.setStatus(refusal.status());
        res.setHeader("Connection", "close");
        res.setContentType(Json.CONTENT_TYPE);
        res.setContentLength(json.length);
        OutputStream out = res.getOutputStream();
        out.write(json);
        // Completes the response: with Connection: close Jetty shuts the socket's output down (a half-close).
        out.close();
        try {
            skip(in, LINGER_BYTES);
        } catch (IOException e) {
            // The client went away after reading its answer: nothing left to do.
        }
    }

    private static long skip(InputStream in, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < max) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - total));
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static ApiException tooLarge(long bytes) {
        return new ApiException(413, "the body is " + (bytes > 0 ? bytes + " bytes" : "too large")
                + "; at most " + MAX_BYTES + " bytes are accepted", null);
    }
}
