package dev.docsearch.service.reload;

import dev.docsearch.core.release.ReleaseRejectedException;
import dev.docsearch.core.release.ReleaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Polls {@code CURRENT} (NFS sends no change events) and brings the release it names into service: load,
 * verify and warm up on the watcher's own thread while the previous release keeps answering, then one atomic
 * swap. A release that cannot be served is rejected with its reason (logs, {@link #status()}, metrics) and
 * retried after a wait that doubles from the poll interval up to {@code retryMax}, because a release written
 * through the S3 API may still be syncing onto the mount.
 *
 * <p>One watcher thread; {@link #status()} may be read from any thread.
 */
public final class ReleaseWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseWatcher.class);

    private final ReleaseStore store;
    private final ReleaseLoader loader;
    private final ReleaseHolder holder;
    private final Duration pollInterval;
    private final Duration retryMax;
    private final ReloadEvents events;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final AtomicReference<ReloadStatus> status;

    // Watcher-thread state.
    private String seenId;
    private Instant seenAt;
    private Rejection rejection;

    private record Rejection(String id, String reason, int failures, Instant retryAt) {
    }

    public ReleaseWatcher(ReleaseStore store, ReleaseLoader loader, ReleaseHolder holder, Duration pollInterval,
                          Duration retryMax, ReloadEvents events, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.retryMax = Objects.requireNonNull(retryMax, "retryMax");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.status = new AtomicReference<>(new ReloadStatus(ReloadStatus.State.STARTING,
                "looking for a release in " + store.root(), null, clock.instant()));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "release-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks {@code CURRENT} now and then every poll interval. */
    public void start() {
        thread.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ReloadStatus status() {
        return status.get();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (Throwable t) {
            // A dead scheduler thread would stop all future reloads; report and carry on.
            log.error("release watcher: unexpected failure, will poll again: {}", t.toString(), t);
            setStatus(holder.liveId().isPresent() ? ReloadStatus.State.DEGRADED : ReloadStatus.State.UNAVAILABLE,
                    "release watcher failed: " + t, null);
        }
    }

    /** One check of {@code CURRENT}, loading and swapping in the release it names when that is new. */
    void poll() {
        Optional<String> live = holder.liveId();
        Optional<String> current;
        try {
            current = store.current();
        } catch (IOException e) {
            problem(live, null, "CURRENT cannot be read: " + e.getMessage());
            return;
        }
        if (current.isEmpty()) {
            problem(live, null, "no release published: " + store.root().resolve(ReleaseStore.CURRENT) + " does not exist");
            return;
        }
        String id = current.get();
        if (live.isPresent() && live.get().equals(id)) {
            rejection = null;
            setStatus(ReloadStatus.State.OK, null, null);
            return;
        }
        Instant now = clock.instant();
        if (!id.equals(seenId)) {
            seenId = id;
            seenAt = now;
            log.info("CURRENT names a new release id={} live={}", id, live.orElse("none"));
        }
        if (rejection != null && rejection.id().equals(id) && now.isBefore(rejection.retryAt())) {
            return;
        }
        if (live.isEmpty()) {
            setStatus(ReloadStatus.State.STARTING, "loading release " + id, null);
        }
        events.attempted(id);
        ServingRelease next;
        try {
            next = loader.load(id, live.isEmpty());
        } catch (ReleaseRejectedException e) {
            reject(live, id, e.reason());
            return;
        }
        holder.swap(next);
        long millis = Duration.between(seenAt, clock.instant()).toMillis();
        rejection = null;
        setStatus(ReloadStatus.State.OK, null, null);
        events.swapped(next, millis);
        log.info("release live id={} previous={} since_current_ms={} open_releases={}", id, live.orElse("none"),
                millis, loader.openReleases());
    }

    private void reject(Optional<String> live, String id, String reason) {
        int failures = rejection != null && rejection.id().equals(id) ? rejection.failures() + 1 : 1;
        Duration wait = backoff(failures);
        rejection = new Rejection(id, reason, failures, clock.instant().plus(wait));
        events.rejected(id, reason);
        log.warn("release rejected id={} failures={} retry_in_ms={} serving={} reason={}", id, failures,
                wait.toMillis(), live.orElse("none"), reason);
        String message = "release " + id + " rejected: " + reason;
        setStatus(live.isPresent() ? ReloadStatus.State.DEGRADED : ReloadStatus.State.UNAVAILABLE, message, id);
    }

    /** The wait after the n-th consecutive failure: 2^n poll intervals, at most {@code retryMax}. */
    Duration backoff(int failures) {
        long factor = 1L << Math.min(failures, 20);
        Duration d = pollInterval.multipliedBy(factor);
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }

    private void problem(Optional<String> live, String rejectedId, String reason) {
        if (live.isPresent()) {
            setStatus(ReloadStatus.State.DEGRADED, reason + "; still serving " + live.get(), rejectedId);
        } else {
            setStatus(ReloadStatus.State.UNAVAILABLE, reason, rejectedId);
        }
    }

    private void setStatus(ReloadStatus.State state, String reason, String rejectedId) {
        ReloadStatus old = status.get();
        if (old.state() == state && Objects.equals(old.reason(), reason) && Objects.equals(old.rejectedId(), rejectedId)) {
            return;
        }
        if (state != ReloadStatus.State.OK && !Objects.equals(old.reason(), reason)) {
            log.info("service status {} reason={}", state.label(), reason);
        }
        status.set(new ReloadStatus(state, reason, rejectedId, clock.instant()));
    }

    /** Stops polling; waits for a load in progress to finish (a half-loaded release is closed by its loader). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("release watcher did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
