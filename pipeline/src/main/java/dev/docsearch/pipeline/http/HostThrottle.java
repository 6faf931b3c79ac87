package dev.docsearch.pipeline.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Politeness towards one host: at most N requests in flight, and request starts spaced by at
 * least the polite delay (so N slots do not mean N simultaneous bursts). Thread-safe.
 */
final class HostThrottle {

    private final Semaphore slots;
    private long delayNanos;
    private long nextStartNanos = System.nanoTime();

    HostThrottle(int maxConcurrency, Duration politeDelay) {
        this.slots = new Semaphore(maxConcurrency, true);
        this.delayNanos = politeDelay.toNanos();
    }

    /** Waits for a slot and for this request's turn; pair with {@link #release()}. */
    void acquire() throws InterruptedException {
        slots.acquire();
        long start;
        synchronized (this) {
            start = Math.max(System.nanoTime(), nextStartNanos);
            nextStartNanos = start + delayNanos;
        }
        try {
            // Until the start time itself: a sleep is rounded to whole milliseconds (down, too), and the spacing
            // is a minimum.
            for (long wait = start - System.nanoTime(); wait > 0; wait = start - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        } catch (InterruptedException e) {
            slots.release();
            throw e;
        }
    }

    void release() {
        slots.release();
    }

    /** Raises the spacing (robots.txt Crawl-delay); never lowers it. */
    synchronized void raiseDelay(Duration delay) {
        delayNanos = Math.max(delayNanos, delay.toNanos());
    }

    synchronized Duration delay() {
        return Duration.ofNanos(delayNanos);
    }
}
