package dev.docsearch.service.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a request's body before any request thread sees it: Jetty parks the connection until bytes arrive and
 * this handler collects them, up to {@code limit} bytes, then hands the request (its body rewound) to the next
 * handler on a pool thread. A client that sends its body slowly, or stops, therefore holds a connection and a
 * small buffer, never a thread; and if the body has not arrived within {@code deadline} (whether it stalls or
 * trickles a byte at a time) the client gets a 408 and the connection is closed.
 *
 * <p>Jetty's own {@code EagerContentHandler} does the first half but treats the idle timeout as a transient
 * failure and waits on, so a stalled body would hold its connection for ever.
 */
public final class BodyLoader extends Handler.Wrapper {

    private final int limit;
    private final Duration deadline;

    /**
     * @param limit    bytes read ahead; the rest of a longer body is left for the handler to read (or refuse)
     * @param deadline how long a body may take to arrive, in all
     */
    public BodyLoader(int limit, Duration deadline) {
        this.limit = limit;
        this.deadline = deadline;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!hasBody(request)) {
            return super.handle(request, response, callback);
        }
        new Load(request, response, callback).start();
        return true;
    }

    private static boolean hasBody(Request request) {
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        return length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** One body being collected; settles exactly once: handed on, timed out, or failed. */
    private final class Load implements Invocable.Task {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicBoolean settled = new AtomicBoolean();
        private Scheduler.Task timeout;

        Load(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void start() {
            timeout = request.getComponents().getScheduler().schedule(this::expire, deadline.toMillis(),
                    TimeUnit.MILLISECONDS);
            run();
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void run() {
            while (!settled.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // Transient: the idle timeout. Terminal: the connection broke or the framing was wrong.
                    if (chunk.isLast()) {
                        fail(chunk.getFailure());
                    } else {
                        expire();
                    }
                    return;
                }
                boolean last = chunk.isLast();
                ByteBuffer buffer = chunk.getByteBuffer();
                byte[] copy = new byte[buffer.remaining()];
                buffer.get(copy);
                bytes.writeBytes(copy);
                chunk.release();
                if (last || bytes.size() > limit) {
                    handOn(last);
                    return;
                }
            }
        }

        private void handOn(boolean complete) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            timeout.cancel();
            Request rewound = new Rewound(request, Content.Chunk.from(ByteBuffer.wrap(bytes.toByteArray()), complete));
            request.getContext().execute(() -> {
                try {
                    if (!BodyLoader.super.handle(rewound, response, callback)) {
                        Response.writeError(rewound, response, callback, HttpStatus.NOT_FOUND_404);
                    }
                } catch (Throwable t) {
                    callback.failed(t);
                }
            });
        }

        private void expire() {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            response.getHeaders().put(new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
            Response.writeError(request, response, callback, HttpStatus.REQUEST_TIMEOUT_408,
                    "the body did not arrive within " + deadline.toSeconds() + " s");
        }

        /** The body broke off (early end, a bad chunk): the client's fault, answered like any refusal. */
        private void fail(Throwable failure) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            timeout.cancel();
            long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, declared > 0
                    ? "the body ended after " + bytes.size() + " of the " + declared + " bytes its Content-Length announced"
                    : "the body cannot be read: " + failure.getMessage(), failure);
        }
    }

    /** The request with the collected bytes put back in front of whatever is still to come. */
    private static final class Rewound extends Request.Wrapper {
        private Content.Chunk head;

        Rewound(Request request, Content.Chunk head) {
            super(request);
            this.head = head;
        }

        @Override
        public synchronized Content.Chunk read() {
            if (head != null) {
                Content.Chunk c = head;
                head = null;
                return c;
            }
            return super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean ready;
            synchronized (this) {
                ready = head != null;
            }
            if (ready) {
                demandCallback.run();
            } else {
                super.demand(demandCallback);
            }
        }
    }
}
