package dev.docsearch.service.reload;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live release: an atomic reference that requests read and the watcher swaps. A request
 * {@link #acquire() acquires} a lease and searches only that release, however many swaps happen meanwhile;
 * a swapped-out release is closed when its last lease is returned.
 *
 * <p>Thread-safe and lock-free on the request path.
 *
 * <p>Why not Lucene's {@code ReferenceManager<ServingRelease>}, whose protocol this follows: it reads a null
 * reference as "closed" and swaps only from inside {@code maybeRefresh}, while the service starts with no release
 * (degraded until a CURRENT appears) and its watcher loads, rejects and reports releases itself.
 */
public final class ReleaseHolder implements AutoCloseable {

    private final AtomicReference<ServingRelease> live = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A lease on the live release, or empty when none is live. Close the lease when done. */
    public Optional<Lease> acquire() {
        while (true) {
            ServingRelease s = live.get();
            if (s == null) {
                return Optional.empty();
            }
            if (s.tryIncRef()) {
                return Optional.of(new Lease(s));
            }
            // Swapped out and closed between the read and the increment: the reference now holds its successor.
        }
    }

    /** The live release's id, without taking a lease (for status and logs). */
    public Optional<String> liveId() {
        ServingRelease s = live.get();
        return s == null ? Optional.empty() : Optional.of(s.id());
    }

    /**
     * Makes {@code next} live, taking over the reference its creator holds, and lets go of the previous one
     * (closed now if idle, else when its last request finishes). After {@link #close()}, {@code next} is closed
     * at once instead.
     */
    public void swap(ServingRelease next) {
        if (closed.get()) {
            next.decRef();
            return;
        }
        ServingRelease previous = live.getAndSet(next);
        if (previous != null) {
            previous.decRef();
        }
        if (closed.get()) {
            // close() ran during the swap; make sure whatever is left is let go exactly once.
            ServingRelease left = live.getAndSet(null);
            if (left != null) {
                left.decRef();
            }
        }
    }

    /** Stops serving: the live release is closed once requests in flight are done. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ServingRelease s = live.getAndSet(null);
            if (s != null) {
                s.decRef();
            }
        }
    }

    /** A request's hold on one release. Closing it more than once is harmless. */
    public static final class Lease implements AutoCloseable {
        private final ServingRelease release;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(ServingRelease release) {
            this.release = release;
        }

        public ServingRelease release() {
            return release;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release.decRef();
            }
        }
    }
}
