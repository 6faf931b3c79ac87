package dev.docsearch.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Polls the service until it reports what a test waits for, or fails with what it last said. */
final class Awaiting {

    private Awaiting() {
    }

    /** Waits until {@code GET /health} answers {@code status}. */
    static JsonNode status(HttpProbe http, int status, Duration timeout) throws InterruptedException {
        return health(http, timeout, r -> r.statusCode() == status);
    }

    /** Calls {@code probe} until its answer satisfies {@code done}; returns that answer. */
    static <T> T until(Callable<T> probe, Predicate<T> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.call();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the expected answer never came within " + timeout + "; last: " + last);
    }

    /** Waits until {@code GET /health} satisfies {@code condition}; returns its JSON. */
    static JsonNode health(HttpProbe http, Duration timeout, Predicate<HttpResponse<String>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = http.get("/health");
            if (condition.test(last)) {
                return HttpProbe.json(last);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("health never reached the expected state within " + timeout + "; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }
}
