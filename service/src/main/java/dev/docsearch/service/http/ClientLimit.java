package dev.docsearch.service.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests one client ({@link ClientAddress}) has in flight at once, from the moment its headers arrive
 * until its response is done; a body still on its way counts ({@link BodyLoader} runs inside this handler). Past
 * the cap the client gets 429 with {@code Retry-After: 1} and the JSON reason, at once, while its requests in flight
 * and every other client's go on. So one address can hold at most {@code max} of the server's connections busy,
 * never all of them, however slowly it sends.
 */
public final class ClientLimit extends Handler.Wrapper {

    private final int max;
    private final ClientAddress clients;
    private final Runnable onRefusal;
    /** Requests in flight per client; a client with none has no entry, so the map holds only active clients. */
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /**
     * @param max       requests one client may have in flight, at least 1
     * @param onRefusal told of each refusal (a metric)
     */
    public ClientLimit(int max, ClientAddress clients, Runnable onRefusal) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        this.max = max;
        this.clients = clients;
        this.onRefusal = onRefusal;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String client = clients.of(request);
        if (inFlight.merge(client, 1, Integer::sum) > max) {
            release(client);
            onRefusal.run();
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Response.writeError(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                    "more than " + max + " requests in flight from this client; retry in a second");
            return true;
        }
        AtomicBoolean released = new AtomicBoolean();
        total.incrementAndGet();
        Runnable done = () -> {
            if (released.compareAndSet(false, true)) {
                release(client);
                total.decrementAndGet();
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, response, new Callback.Nested(callback) {
                @Override
                public void completed() {
                    done.run(); // succeeded or failed: the response is over either way
                }
            });
        } catch (Throwable t) {
            done.run();
            throw t;
        }
        if (!handled) {
            done.run();
        }
        return handled;
    }

    /** Requests admitted and not yet answered, over all clients (a gauge). */
    public int inFlight() {
        return total.get();
    }

    private void release(String client) {
        inFlight.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }
}
